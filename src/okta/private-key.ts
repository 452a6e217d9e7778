import { createPrivateKey, type JsonWebKey } from 'node:crypto';

/**
 * Why a service app's private key can't be used, or undefined when it can: the one reading of the key, shared by
 * the Okta client (a bad key is a permanent failure, never a retry) and the start-up checks (`serve` refuses to
 * start). The two forms the SDK accepts are PEM (PKCS#8 or PKCS#1) and a private JWK as JSON; Okta signs client
 * assertions with RSA or EC keys only. The answer never quotes the key: Node's parse errors do, so they are dropped.
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
    return 'is not a PEM private key (PKCS#8 or PKCS#1; "\\n" escapes are accepted) or a private JWK';
  }
  return type === 'rsa' || type === 'ec' ? undefined : `is a ${type ?? 'unknown'} key; Okta needs RSA or EC`;
}
