import { X509Certificate } from 'node:crypto';
import { encrypt, type EncryptionAlgorithm, type KeyEncryptionAlgorithm } from 'xml-encryption';
import { SsoRefusedError } from './errors';
import { SAML_ASSERTION } from './xml';

/**
 * `settings.signOn.assertionEncryption` (`SamlAssertionEncryption` in Okta's Management API spec, okta-sdk-nodejs
 * 8.1.0 models): `enabled`, `encryptionAlgorithm` (AES128_CBC, AES256_CBC, AES128_GCM, AES256_GCM),
 * `keyTransportAlgorithm` (RSA_OAEP, RSA_15) and `x5c`, "a list that contains exactly one x509 encoded certificate
 * which Okta uses to encrypt the SAML assertion with". Unset algorithms take the Admin Console's defaults,
 * AES256-CBC and RSA-OAEP.
 */
const ENCRYPTION: Record<string, EncryptionAlgorithm> = {
  AES128_CBC: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  AES256_CBC: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  AES128_GCM: 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  AES256_GCM: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
};
const KEY_TRANSPORT: Record<string, KeyEncryptionAlgorithm> = {
  RSA_OAEP: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  RSA_15: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
};

export interface AssertionEncryption {
  cert: X509Certificate;
  encryptionAlgorithm: EncryptionAlgorithm;
  keyTransportAlgorithm: KeyEncryptionAlgorithm;
}

/** The app's encryption settings when encryption is on; a missing or unreadable SP certificate is refused. */
export function assertionEncryption(signOn: Record<string, unknown>): AssertionEncryption | undefined {
  const enc = (signOn.assertionEncryption ?? {}) as Record<string, unknown>;
  if (enc.enabled !== true) return undefined;
  const x5c = Array.isArray(enc.x5c) ? enc.x5c : [];
  if (x5c.length !== 1 || typeof x5c[0] !== 'string' || x5c[0] === '')
    throw new SsoRefusedError(
      'encryption-certificate',
      'assertion encryption is on but assertionEncryption.x5c does not hold exactly one SP certificate to encrypt with',
    );
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(x5c[0], 'base64'));
  } catch (err) {
    throw new SsoRefusedError(
      'encryption-certificate',
      'assertionEncryption.x5c[0] is not a base64 DER X.509 certificate',
      { cause: err },
    );
  }
  const encryptionAlgorithm = ENCRYPTION[String(enc.encryptionAlgorithm ?? 'AES256_CBC')];
  const keyTransportAlgorithm = KEY_TRANSPORT[String(enc.keyTransportAlgorithm ?? 'RSA_OAEP')];
  if (!encryptionAlgorithm || !keyTransportAlgorithm)
    throw new SsoRefusedError(
      'algorithm',
      `assertionEncryption algorithms ${JSON.stringify(enc.encryptionAlgorithm)} / ${JSON.stringify(enc.keyTransportAlgorithm)} ` +
        `are not among ${Object.keys(ENCRYPTION).join(', ')} / ${Object.keys(KEY_TRANSPORT).join(', ')}`,
    );
  return { cert, encryptionAlgorithm, keyTransportAlgorithm };
}

/** `<saml2:EncryptedAssertion>` holding the (already signed, if configured) assertion for the SP's certificate. */
export function encryptAssertion(assertion: string, enc: AssertionEncryption): Promise<string> {
  return new Promise((resolve, reject) => {
    encrypt(
      assertion,
      {
        rsa_pub: enc.cert.publicKey.export({ type: 'spki', format: 'pem' }),
        pem: enc.cert.toString(),
        encryptionAlgorithm: enc.encryptionAlgorithm,
        keyEncryptionAlgorithm: enc.keyTransportAlgorithm,
        warnInsecureAlgorithm: false,
      },
      (err, result) => {
        if (err) reject(err);
        else
          resolve(
            `<saml2:EncryptedAssertion xmlns:saml2="${SAML_ASSERTION}">${result}</saml2:EncryptedAssertion>`,
          );
      },
    );
  });
}
