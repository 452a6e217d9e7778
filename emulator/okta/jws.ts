import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';

const ALGS: Record<string, { hash: string; dsa?: boolean }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', dsa: true },
  ES384: { hash: 'sha384', dsa: true },
  ES512: { hash: 'sha512', dsa: true },
};

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits a compact JWS; undefined when it isn't one. */
export function decodeJws(compact: string): DecodedJws | undefined {
  const [h, p, s, extra] = compact.split('.');
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload || !s || extra !== undefined) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

/** True when the JWS's signature verifies with the public JWK, for the algorithms Okta accepts. */
export function verifyJws(jws: DecodedJws, jwk: Record<string, unknown>): boolean {
  const alg = ALGS[String(jws.header.alg)];
  if (!alg) return false;
  try {
    const key = createPublicKey({ key: publicPart(jwk) as JsonWebKey, format: 'jwk' });
    return verify(
      alg.hash,
      Buffer.from(jws.signingInput),
      alg.dsa ? { key, dsaEncoding: 'ieee-p1363' } : key,
      jws.signature,
    );
  } catch {
    return false;
  }
}

function publicPart(jwk: Record<string, unknown>): Record<string, unknown> {
  const { kty, n, e, crv, x, y } = jwk;
  return kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y };
}

/** RFC 7638 thumbprint, base64url: what a DPoP-bound token's `cnf.jkt` holds. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  const p = publicPart(jwk);
  const canonical =
    p.kty === 'RSA'
      ? JSON.stringify({ e: p.e, kty: p.kty, n: p.n })
      : JSON.stringify({ crv: p.crv, kty: p.kty, x: p.x, y: p.y });
  return createHash('sha256').update(canonical).digest('base64url');
}
