import { createPrivateKey, type JsonWebKey } from 'node:crypto';

/**
 * Why a service app's private key can't be used, or undefined when it can: the one reading of the key, shared by
 * the settings (a bad key is named at start, src/config/credentials-env.ts) and the Okta client (a bad key is a
 * permanent failure, never a retry). The SDK itself reads the key only at its first token request and then says
 * "Unable to convert private key from PEM to JWK". PEM (PKCS#8 or PKCS#1) or a private JWK as JSON, the two forms
 * the SDK accepts; RSA or EC, the kinds Okta accepts for private_key_jwt. The answer never quotes the key: Node's
 * parse errors do, so they are dropped.
 */
export function privateKeyProblem(privateKey: string): string | undefined {
  const text = privateKey.trim();
  let type: string | undefined;
  try {
    const key = text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPrivateKey(text);
    type = key.asymmetricKeyType;
  } catch {
    if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----|BEGIN CERTIFICATE/.test(text)) {
      return 'holds a public key or certificate; it needs the private key (-----BEGIN PRIVATE KEY-----)';
    }
    return 'is not a PEM private key (-----BEGIN PRIVATE KEY-----, PKCS#8 or PKCS#1; "\\n" escapes accepted) nor a private JWK';
  }
  return type === 'rsa' || type === 'ec'
    ? undefined
    : `is a ${type ?? 'unknown'} key; Okta needs an RSA or EC key`;
}
