import { OktaHttpError, type OktaErrorBody } from './errors';
import { decodeJws, jwkThumbprint } from './jws';

/** How long a proof's `jti` is remembered: a proof older than this is refused for its `iat` anyway (./dpop.ts). */
const PROOF_MEMORY_MS = 5 * 60_000;

/**
 * A DPoP proof presented a second time. Okta's DPoP guide: a resource server that enforces `jti` "tracks previous
 * calls to prevent proof reuse", and Okta's own APIs answer a reused proof with 400 and
 * `WWW-Authenticate: DPoP … error="invalid_dpop_proof", error_description="The DPoP proof JWT has already been
 * used."` (developer.okta.com blog "Protect your SPA with DPoP", the same request made twice). Only the header is
 * documented; the body is OAuth's error shape, the emulator's pick.
 */
export class DpopProofReplayedError extends OktaHttpError {
  constructor(orgUrl: string, path: string) {
    super(400, 'invalid_dpop_proof', 'The DPoP proof JWT has already been used.', [], {
      'www-authenticate':
        `DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", authorization_uri="${orgUrl}/oauth2/v1/authorize", ` +
        `realm="${orgUrl}", error="invalid_dpop_proof", error_description="The DPoP proof JWT has already been used.", ` +
        `resource="${path}"`,
    });
  }

  override body(): OktaErrorBody {
    return { error: this.errorCode, error_description: this.errorSummary } as unknown as OktaErrorBody;
  }
}

/**
 * Remembers the `jti` of the request's DPoP proof (per key thumbprint) and says whether it was presented before.
 * Called for every API request that carries a proof, before the rate limiter: a proof sent with a request that was
 * then refused (429) has been used too. How Okta orders these checks is not documented; remembering the proof from
 * its first request is the strict reading, and the one that catches a client re-sending a 429'd request as it was.
 */
export function proofSeenBefore(used: Map<string, number>, header: unknown, now = Date.now()): boolean {
  const proof = typeof header === 'string' ? decodeJws(header) : undefined;
  const jwk = proof?.header.jwk;
  const jti = proof?.payload.jti;
  if (!proof || typeof jwk !== 'object' || jwk === null || typeof jti !== 'string') return false;
  if (used.size > 1_000) for (const [key, expires] of used) if (expires < now) used.delete(key);
  const key = `${jwkThumbprint(jwk as Record<string, unknown>)} ${jti}`;
  if (used.has(key)) return true;
  used.set(key, now + PROOF_MEMORY_MS);
  return false;
}
