import { createHash, createPublicKey, generateKeyPair, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';

/** An app signing credential as Okta keeps it: an RSA key and a self-signed X.509 certificate. */
export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  certPem: string;
  /** Base64 DER, as in `x5c` and `ds:X509Certificate`. */
  certBase64: string;
  x5tS256: string;
  n: string;
  e: string;
  created: string;
  expiresAt: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

// Key generation costs ~100 ms; tests start many emulators with the same seeds, so keys are cached per process.
const cache = new Map<string, Promise<SigningKey>>();

/**
 * A new app's key, and a seeded one: ten years ("Okta normally issues certificates with a 10-year validity period",
 * support.okta.com, "SAML Certificate Expiration Notifications in Okta").
 */
export const DEFAULT_VALIDITY_YEARS = 10;

/**
 * The signing key for `kid`, made on first use. With no kid a new one is made (kid = the certificate's SHA-256
 * thumbprint, base64url, like Okta's), valid `validityYears` (the generate call's `validityYears`). `subjectCn`
 * goes into the certificate subject (Okta uses the org name).
 */
export function signingKey(
  kid?: string,
  subjectCn = 'emulator',
  validityYears = DEFAULT_VALIDITY_YEARS,
): Promise<SigningKey> {
  if (kid === undefined) return makeKey(undefined, subjectCn, validityYears);
  let key = cache.get(kid);
  if (!key) {
    key = makeKey(kid, subjectCn, validityYears);
    cache.set(kid, key);
    key.catch(() => cache.delete(kid));
  }
  return key;
}

async function makeKey(
  kid: string | undefined,
  subjectCn: string,
  validityYears: number,
): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  // As in Okta's example key (Management API, KeyCredentialExample: created 2015-12-10T18:56:23Z, expiresAt
  // 2017-12-10T18:56:22Z for a 2-year key, its certificate valid from 18:55:22): the certificate starts a minute
  // before the key's `created` and ends one second short of `validityYears` after it; `expiresAt` is that end.
  const created = new Date();
  created.setUTCMilliseconds(0);
  const notBeforeDate = new Date(created.getTime() - 60_000);
  const notAfterDate = new Date(created);
  notAfterDate.setUTCFullYear(notAfterDate.getUTCFullYear() + validityYears);
  notAfterDate.setUTCSeconds(notAfterDate.getUTCSeconds() - 1);
  const pems = await generate(
    [
      { name: 'countryName', value: 'US' },
      { shortName: 'ST', value: 'California' },
      { name: 'localityName', value: 'San Francisco' },
      { name: 'organizationName', value: 'Okta' },
      { shortName: 'OU', value: 'SSOProvider' },
      { name: 'commonName', value: subjectCn },
      { shortName: 'E', value: 'info@okta.com' },
    ],
    { keyPair: { publicKey, privateKey }, algorithm: 'sha256', notBeforeDate, notAfterDate },
  );
  const cert = new X509Certificate(pems.cert);
  const der = cert.raw;
  const jwk = createPublicKey(publicKey).export({ format: 'jwk' });
  const x5tS256 = createHash('sha256').update(der).digest('base64url');
  return {
    kid: kid ?? x5tS256,
    privateKeyPem: privateKey,
    certPem: pems.cert,
    certBase64: der.toString('base64'),
    x5tS256,
    n: String(jwk.n),
    e: String(jwk.e),
    created: created.toISOString().replace(/\.\d+Z$/, '.000Z'),
    expiresAt: notAfterDate.toISOString().replace(/\.\d+Z$/, '.000Z'),
  };
}

/** The key as a JWK, the shape of `GET /api/v1/apps/{id}/credentials/keys` entries. */
export function toJwk(key: SigningKey): Record<string, unknown> {
  return {
    created: key.created,
    lastUpdated: key.created,
    expiresAt: key.expiresAt,
    x5c: [key.certBase64],
    e: key.e,
    n: key.n,
    kid: key.kid,
    kty: 'RSA',
    use: 'sig',
    'x5t#S256': key.x5tS256,
  };
}
