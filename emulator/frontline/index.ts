/*
 * Twilio Frontline Users API emulator: `GET` and `POST /v1/Users/{Sid}` as twilio-oai
 * `spec/json/twilio_frontline_v1.json` and Twilio's Frontline "User Resource" page describe them
 * (https://www.twilio.com/docs/frontline/api/user-resource). A separate server from the Okta emulator: Frontline is
 * another vendor on another host (https://frontline-api.twilio.com). It is also the SAML service provider agents
 * sign in to (Twilio IAM's `POST /v2/saml2/authenticate/{realmSid}`, see sso.ts). Imports nothing from src/.
 */
import { SsoConfigError } from './errors';
import { FrontlineServer, type ControlReply } from './server';
import { FrontlineSso, type SsoSignInResult } from './sso';
import type { SsoConfigInput, SsoConfigView } from './sso-config';
import type {
  FaultRule,
  FrontlineCredentials,
  FrontlineEmulatorOptions,
  FrontlineRequestLogEntry,
  FrontlineUserView,
} from './types';
import { FrontlineUsers, type FrontlineUserRecord, type SignInOptions } from './users';

export * from './types';
export { USER_SID_PATTERN, userSidFor } from './users';
export type { SsoFailureCode } from './errors';
export type { SsoSignInResult, SsoSignInSuccess } from './sso';
export type { SsoConfigInput, SsoConfigView } from './sso-config';
export { REALM_SID_PATTERN, acsUrlFor, audienceFor } from './sso-config';
export { FRONTLINE_ROLES } from './saml-attributes';

/** Not secrets: they only open the local emulator. */
export const DEFAULT_FRONTLINE_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const DEFAULT_FRONTLINE_AUTH_TOKEN = 'emulator-frontline-auth-token';

export interface FrontlineEmulatorControl {
  /** No users, no faults, an empty request log; then the start users and SSO settings again. */
  reset(): void;
  /**
   * The console's SSO page for a realm (step 7 of Twilio's Okta guide): the IdP issuer, SSO URL and certificate
   * (PEM or base64 DER). Throws on a malformed Realm SID, URL or certificate. A second save replaces the first.
   */
  configureSso(realmSid: string, input: SsoConfigInput): SsoConfigView;
  /** What the console's SSO page holds for the realm, if anything. */
  getSso(realmSid: string): SsoConfigView | undefined;
  /**
   * Posts a base64 `SAMLResponse` (and RelayState) to the realm's assertion consumer in-process: the same status
   * and body as `POST /v2/saml2/authenticate/{realmSid}`.
   */
  consume(realmSid: string, samlResponse: string, relayState?: string | null): Promise<SsoSignInResult>;
  /** A first SSO sign-in creates the user; a later one opens another session. */
  signIn(identity: string, options?: SignInOptions): { user: FrontlineUserView; created: boolean };
  users(): FrontlineUserView[];
  /** By sid or identity (case-sensitive), as the API resolves `{Sid}`. */
  getUser(sidOrIdentity: string): FrontlineUserView | undefined;
  /** Queues a failure for the next matching request(s). */
  injectFault(rule: Omit<FaultRule, 'count'> & { count?: number }): FaultRule[];
  /** Faults still waiting to answer. */
  pendingFaults(): FaultRule[];
  clearFaults(): void;
  requestLog(): FrontlineRequestLogEntry[];
  clearRequestLog(): void;
}

export interface RunningFrontlineEmulator {
  /** `http://127.0.0.1:PORT`, no trailing slash: the value for FRONTLINE_API_URL. */
  url: string;
  accountSid: string;
  /** The auth token accepted with `accountSid`, if any. */
  authToken: string | undefined;
  control: FrontlineEmulatorControl;
  stop(): Promise<void>;
}

const FAULT_STATUSES = new Set([429, 500, 502, 503, 504]);

const view = (u: FrontlineUserRecord): FrontlineUserView => ({ ...u });

/** Starts a Frontline Users API emulator on 127.0.0.1 (port 0 = a free one). */
export async function startFrontlineEmulator(
  options: FrontlineEmulatorOptions = {},
): Promise<RunningFrontlineEmulator> {
  const credentials: FrontlineCredentials = {
    accountSid: options.accountSid ?? DEFAULT_FRONTLINE_ACCOUNT_SID,
    authToken: options.authToken === null ? undefined : (options.authToken ?? DEFAULT_FRONTLINE_AUTH_TOKEN),
    apiKeys: [...(options.apiKeys ?? [])],
  };
  const users = new FrontlineUsers();
  const sso = new FrontlineSso(users, {
    signatures: { response: true, assertion: true, ...options.samlSignatures },
    clockSkewMs: options.clockSkewMs ?? 0,
  });
  let faults: FaultRule[] = [];
  const seed = () => {
    users.clear();
    for (const u of options.users ?? []) users.signIn(u.identity, u);
    sso.clear();
    for (const [realmSid, input] of Object.entries(options.sso ?? {})) sso.configure(realmSid, input);
  };
  seed();

  const control: FrontlineEmulatorControl = {
    reset() {
      seed();
      faults = [];
      server.log.length = 0;
    },
    configureSso: (realmSid, input) => sso.configure(realmSid, input),
    getSso: (realmSid) => sso.get(realmSid),
    consume: (realmSid, samlResponse, relayState) => sso.consume(realmSid, samlResponse, relayState),
    signIn(identity, opts) {
      if (identity === '') throw new Error('identity must not be empty');
      const { user, created } = users.signIn(identity, opts);
      return { user: view(user), created };
    },
    users: () => users.all().map(view),
    getUser(sidOrIdentity) {
      const u = users.find(sidOrIdentity);
      return u ? view(u) : undefined;
    },
    injectFault(rule) {
      if (!FAULT_STATUSES.has(rule.status))
        throw new Error(`fault status must be one of ${[...FAULT_STATUSES]}`);
      const count = rule.count ?? 1;
      if (!Number.isInteger(count) || count < 1) throw new Error('fault count must be a whole number ≥ 1');
      faults.push({ ...rule, count });
      return control.pendingFaults();
    },
    pendingFaults: () => faults.map((f) => ({ ...f })),
    clearFaults: () => void (faults = []),
    requestLog: () => server.log.map((e) => ({ ...e, params: { ...e.params } })),
    clearRequestLog: () => void (server.log.length = 0),
  };

  const server = new FrontlineServer({
    users,
    credentials: () => credentials,
    takeFault(method, sid) {
      const i = faults.findIndex((f) => (!f.method || f.method === method) && (!f.sid || f.sid === sid));
      const f = faults[i];
      if (!f) return undefined;
      f.count -= 1;
      if (f.count <= 0) faults.splice(i, 1);
      return f;
    },
    control: (req) => controlRoute(control, req),
    consume: (realmSid, samlResponse, relayState) => sso.consume(realmSid, samlResponse, relayState),
    requestLogSize: options.requestLogSize ?? 10_000,
  });
  const host = options.host ?? '127.0.0.1';
  const port = await server.listen(options.port ?? 0, host);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    accountSid: credentials.accountSid,
    authToken: credentials.authToken,
    control,
    stop: () => server.close(),
  };
}

/** `/__emulator/*` over HTTP, for demos and other processes; production code never calls it. */
async function controlRoute(
  control: FrontlineEmulatorControl,
  req: { method: string; path: string; body: string },
): Promise<ControlReply | undefined> {
  const json = (): Record<string, unknown> => {
    try {
      const v: unknown = req.body.trim() ? JSON.parse(req.body) : {};
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // answered below
    }
    throw new ControlInputError('the body must be a JSON object');
  };
  const path = req.path.replace(/\/+$/, '');
  const route = `${req.method} ${path}`;
  try {
    const realm = /^\/__emulator\/sso\/([^/]+)$/.exec(path)?.[1];
    if (realm !== undefined) return ssoRoute(control, req.method, decodeURIComponent(realm), json);
    switch (route) {
      case 'POST /__emulator/reset':
        control.reset();
        return { status: 204 };
      case 'GET /__emulator/users':
        return { status: 200, body: control.users() };
      case 'POST /__emulator/sign-ins': {
        const body = json();
        if (typeof body.identity !== 'string' || body.identity === '') {
          throw new ControlInputError('identity (a non-empty string) is required');
        }
        const result = control.signIn(body.identity, {
          ...(typeof body.friendlyName === 'string' ? { friendlyName: body.friendlyName } : {}),
          ...(typeof body.avatar === 'string' ? { avatar: body.avatar } : {}),
        });
        return { status: result.created ? 201 : 200, body: result.user };
      }
      case 'GET /__emulator/faults':
        return { status: 200, body: control.pendingFaults() };
      case 'POST /__emulator/faults':
        return { status: 200, body: control.injectFault(json() as unknown as FaultRule) };
      case 'DELETE /__emulator/faults':
        control.clearFaults();
        return { status: 204 };
      case 'GET /__emulator/requests':
        return { status: 200, body: control.requestLog() };
      case 'DELETE /__emulator/requests':
        control.clearRequestLog();
        return { status: 204 };
      default:
        return undefined;
    }
  } catch (err) {
    return { status: 400, body: { message: err instanceof Error ? err.message : String(err) } };
  }
}

/** `PUT|GET /__emulator/sso/{realmSid}`: the console's SSO page. */
function ssoRoute(
  control: FrontlineEmulatorControl,
  method: string,
  realmSid: string,
  json: () => Record<string, unknown>,
): ControlReply {
  if (method === 'GET') {
    const config = control.getSso(realmSid);
    return config
      ? { status: 200, body: config }
      : { status: 404, body: { message: `no SSO is configured for realm ${realmSid}` } };
  }
  if (method !== 'PUT') return { status: 405, body: { message: `Method ${method} not allowed` } };
  try {
    return { status: 200, body: control.configureSso(realmSid, json() as unknown as SsoConfigInput) };
  } catch (err) {
    if (err instanceof SsoConfigError) return { status: 400, body: { message: err.message } };
    throw err;
  }
}

class ControlInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ControlInputError';
  }
}
