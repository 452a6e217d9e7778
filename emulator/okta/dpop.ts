import { createHash } from 'node:crypto';
import { decodeJws, jwkThumbprint, verifyJws } from './jws';

export interface DpopCheck {
  proof: string | undefined;
  method: string;
  /** The request URL without query or fragment (DPoP's `htu`). */
  url: string;
  nonce?: string;
  /** At the resource server: the access token the proof must be bound to (`ath`). */
  accessToken?: string;
}

export type DpopResult = { ok: true; jkt: string } | { ok: false; error: string; needNonce?: boolean };

/** Checks a DPoP proof (RFC 9449) the way Okta does for apps that require DPoP. */
export function checkDpopProof(c: DpopCheck, now = Date.now()): DpopResult {
  if (!c.proof) return { ok: false, error: 'The DPoP proof JWT header is missing.' };
  const jws = decodeJws(c.proof);
  if (!jws) return { ok: false, error: 'The DPoP proof is malformed.' };
  const { header, payload } = jws;
  const jwk = header.jwk;
  if (header.typ !== 'dpop+jwt' || typeof jwk !== 'object' || jwk === null)
    return { ok: false, error: "The DPoP proof must have typ 'dpop+jwt' and a public jwk." };
  if (!verifyJws(jws, jwk as Record<string, unknown>))
    return { ok: false, error: 'The DPoP proof signature is invalid.' };
  if (payload.htm !== c.method)
    return { ok: false, error: "The DPoP proof 'htm' does not match the request method." };
  if (payload.htu !== c.url)
    return { ok: false, error: "The DPoP proof 'htu' does not match the request URL." };
  const iat = typeof payload.iat === 'number' ? payload.iat * 1000 : Number.NaN;
  if (!(Math.abs(now - iat) <= 5 * 60_000))
    return { ok: false, error: "The DPoP proof 'iat' is not recent." };
  if (typeof payload.jti !== 'string') return { ok: false, error: "The DPoP proof needs a 'jti'." };
  if (c.nonce !== undefined && payload.nonce !== c.nonce)
    return { ok: false, error: 'Authorization server requires nonce in DPoP proof.', needNonce: true };
  if (c.accessToken !== undefined) {
    const ath = createHash('sha256').update(c.accessToken).digest('base64url');
    if (payload.ath !== ath)
      return { ok: false, error: "The DPoP proof 'ath' does not match the access token." };
  }
  return { ok: true, jkt: jwkThumbprint(jwk as Record<string, unknown>) };
}
