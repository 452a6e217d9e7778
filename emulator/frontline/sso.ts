import { SamlSignInError, type SsoFailureCode } from './errors';
import { validateSamlResponse, type ConsumerOptions } from './saml-consumer';
import { parseSsoConfig, type SsoConfigInput, type SsoConfigView } from './sso-config';
import type { FrontlineUserView } from './types';
import type { FrontlineUsers } from './users';

/** A sign-in Frontline accepted: the user it created or found, the session it opened, what the assertion said. */
export interface SsoSignInSuccess {
  realmSid: string;
  /** True at the user's first sign-in. */
  created: boolean;
  /** The Frontline user after the sign-in (`activeSessions` counts the new session). */
  user: FrontlineUserView;
  assertion: {
    issuer: string;
    nameId: string;
    nameIdFormat: string | null;
    email: string;
    roles: string[];
  };
  /** The posted RelayState, as the IdP sent it (null when absent). */
  relayState: string | null;
}

/** What `POST /v2/saml2/authenticate/{realmSid}` answers, and `control.consume` returns: status and JSON body. */
export type SsoSignInResult =
  | { ok: true; status: 200; body: SsoSignInSuccess }
  | { ok: false; status: 400 | 403 | 404; body: { code: SsoFailureCode; reason: string } };

/** The realms' console SSO settings and Frontline's assertion consumer. */
export class FrontlineSso {
  private readonly configs = new Map<string, SsoConfigView>();

  public constructor(
    private readonly users: FrontlineUsers,
    private readonly options: ConsumerOptions,
  ) {}

  /** Saves the console's SSO page for a realm (a second save replaces the first); throws SsoConfigError. */
  public configure(realmSid: string, input: SsoConfigInput): SsoConfigView {
    const config = parseSsoConfig(realmSid, input);
    this.configs.set(realmSid, config);
    return { ...config };
  }

  public get(realmSid: string): SsoConfigView | undefined {
    const config = this.configs.get(realmSid);
    return config ? { ...config } : undefined;
  }

  public clear(): void {
    this.configs.clear();
  }

  /**
   * The assertion consumer. On success the user is created at their first sign-in with identity = the NameID
   * (Twilio's Okta guide: "You do not need to explicitly claim a UserId, as it is already in the request itself")
   * and a session opens; a deactivated user is refused and gets no session.
   */
  public async consume(
    realmSid: string,
    samlResponse: string | undefined,
    relayState?: string | null,
  ): Promise<SsoSignInResult> {
    try {
      const config = this.configs.get(realmSid);
      if (!config) {
        throw new SamlSignInError(
          404,
          'sso_not_configured',
          `no SSO is configured for realm ${realmSid}: save the IdP issuer, SSO URL and certificate in the console first`,
        );
      }
      if (samlResponse === undefined || samlResponse === '') {
        throw new SamlSignInError(400, 'malformed_request', 'the form field SAMLResponse is missing');
      }
      const accepted = await validateSamlResponse(config, samlResponse, this.options);
      const existing = this.users.find(accepted.nameId);
      if (existing?.identity === accepted.nameId && existing.state === 'deactivated') {
        // Deactivation logs the user out (Twilio's User Resource page); what a later sign-in does is not
        // documented, and the emulator keeps them out.
        throw new SamlSignInError(
          403,
          'user_deactivated',
          `the Frontline user ${accepted.nameId} is deactivated: no session is opened`,
        );
      }
      const { user, created } = this.users.signIn(accepted.nameId, { friendlyName: accepted.friendlyName });
      return {
        ok: true,
        status: 200,
        body: {
          realmSid,
          created,
          user: { ...user },
          assertion: {
            issuer: accepted.issuer,
            nameId: accepted.nameId,
            nameIdFormat: accepted.nameIdFormat ?? null,
            email: accepted.email,
            roles: accepted.roles,
          },
          relayState: relayState ?? null,
        },
      };
    } catch (err) {
      if (!(err instanceof SamlSignInError)) throw err;
      return { ok: false, status: err.status, body: { code: err.code, reason: err.reason } };
    }
  }
}
