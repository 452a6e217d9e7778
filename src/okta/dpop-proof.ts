import { createPrivateKey, createSign, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';

/*
 * A fresh DPoP proof for a request that must be sent again. A proof is good for one request: Okta tracks its `jti`
 * and answers a reused one 400 `invalid_dpop_proof` "The DPoP proof JWT has already been used." (developer docs,
 * DPoP guide). The SDK mints a proof when it prepares a request, but its 429 retry re-sends the first request's
 * headers, proof included, so the retry (./request-executor.ts) swaps in one of these: the same key, method, URL
 * and access-token hash as the proof it replaces, with a new `jti` and `iat`. RS256, as the SDK signs its own.
 */

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function decodePart(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(text ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The service app's private key (PEM, or a private JWK as JSON: the forms the SDK takes), read once. */
export function dpopSigningKey(privateKey: string): KeyObject {
  const text = privateKey.trim();
  return text.startsWith('{')
    ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
    : createPrivateKey(text);
}

/** The proof `previous` stood for, minted anew; undefined when `previous` is not a proof we can read. */
export function freshDpopProof(previous: string, key: KeyObject, now = Date.now()): string | undefined {
  const [h, p] = previous.split('.');
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload || header.typ !== 'dpop+jwt' || header.alg !== 'RS256') return undefined;
  const input = `${part(header)}.${part({ ...payload, iat: Math.floor(now / 1000), jti: randomUUID() })}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

/** Okta's answer to a reused proof: retried once with a fresh one, never shown to the caller as a failure. */
export function isReusedProofAnswer(status: number, wwwAuthenticate: string | null): boolean {
  return (
    status === 400 &&
    wwwAuthenticate !== null &&
    /error="invalid_dpop_proof"/.test(wwwAuthenticate) &&
    /already been used/.test(wwwAuthenticate)
  );
}
