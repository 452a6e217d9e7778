import type { SsoConfigInput } from './sso-config';

/** What the emulated account accepts: its account SID with the auth token, and any number of API keys. */
export interface FrontlineCredentials {
  /** `AC` + 32 hex. */
  accountSid: string;
  /** Accepted with the account SID as the Basic user; undefined = only API keys work. */
  authToken: string | undefined;
  /** Standard API keys: `SK…` sid as the Basic user, the secret as the password. */
  apiKeys: { sid: string; secret: string }[];
}

/** One injected failure: the next `count` matching requests answer `status` with Twilio's error body. */
export interface FaultRule {
  /** 429 answers code 20429; 500/502/504 answer 20500; 503 answers 20503. */
  status: 429 | 500 | 502 | 503 | 504;
  /** @default 1 */
  count: number;
  /** Only this method. @default both */
  method?: 'GET' | 'POST';
  /** Only requests for this `{Sid}` (sid or identity, exact). @default any */
  sid?: string;
}

export interface FrontlineRequestLogEntry {
  method: string;
  path: string;
  /** The `{Sid}` path segment, decoded. */
  sid?: string;
  status: number;
  /** How the request authenticated; the credential itself is never recorded. */
  auth: 'account' | 'api-key' | 'rejected' | 'none';
  /** The form fields of a POST (State, FriendlyName, …). */
  params: Record<string, string>;
  /** The injected fault's status, when one answered. */
  fault?: number;
  time: string;
}

/** A Frontline user as the control API shows it: the API's fields plus the emulator's session count. */
export interface FrontlineUserView {
  sid: string;
  identity: string;
  friendlyName: string | null;
  avatar: string | null;
  state: 'active' | 'deactivated';
  isAvailable: boolean;
  activeSessions: number;
}

export interface FrontlineEmulatorOptions {
  /** @default 127.0.0.1 */
  host?: string;
  /** 0 = a free port. @default 0 */
  port?: number;
  /** @default DEFAULT_FRONTLINE_ACCOUNT_SID */
  accountSid?: string;
  /** null = no auth token accepted (API keys only). @default DEFAULT_FRONTLINE_AUTH_TOKEN */
  authToken?: string | null;
  /** @default none */
  apiKeys?: { sid: string; secret: string }[];
  /** Users who have already signed in once. */
  users?: { identity: string; friendlyName?: string | null; avatar?: string | null }[];
  /** @default 10000 */
  requestLogSize?: number;
  /** Realms whose console SSO page is already saved, by Realm SID; `reset()` returns to them. @default none */
  sso?: Record<string, SsoConfigInput>;
  /** Which signatures the assertion consumer requires. @default both */
  samlSignatures?: Partial<SignatureRequirements>;
  /** Clock skew allowed on the assertion's time window; Twilio documents none. @default 0 */
  clockSkewMs?: number;
}

/**
 * Which parts of a SAML Response must carry a signature that verifies against the pasted certificate. A signature
 * not required is not checked (as @node-saml/node-saml does), but one of the two always must verify: with neither
 * required, the library still demands the Assertion's when the Response has no valid one.
 */
export interface SignatureRequirements {
  /**
   * Twilio's SSO troubleshooting page: "Authentication Failed. The Message of SAML response is not signed … Twilio
   * requires the message to be signed"
   * (https://www.twilio.com/docs/iam/single-sign-on/troubleshooting-errors-during-test-sso-connection).
   * @default true
   */
  response: boolean;
  /** The guides sign both: Okta "Assertion Signature: Signed", Azure AD "Sign SAML response and assertion". @default true */
  assertion: boolean;
}
