import type { HookDispatcher } from './hooks';
import type { EmulatorState } from './state';
import type { SigningKey } from './certs';
import type { RateLimiter } from './rate-limits';

/** What route handlers can reach. */
export interface EmulatorContext {
  state: EmulatorState;
  hooks: HookDispatcher;
  /** Signing keys by kid. */
  keys: Map<string, SigningKey>;
  /** Org name shown in certificates and generated app names. */
  orgName: string;
  /** Access tokens issued by /oauth2/v1/token → granted scopes and expiry. */
  accessTokens: Map<
    string,
    { clientId: string; scopes: string[]; expiresAt: number; /** DPoP key thumbprint. */ jkt?: string }
  >;
  /** `clientId jti` of client assertions already exchanged for a token → their `exp` (ms), to refuse replays. */
  usedAssertions: Map<string, number>;
  /** `jkt jti` of DPoP proofs the API has accepted → when to forget them (./dpop-replay.ts). */
  usedDpopProofs: Map<string, number>;
  /** The org's rate limiter, for the Principal Rate Limits API (./routes/principal-rate-limits.ts). */
  rateLimiter?: RateLimiter;
}
