import { generateKeyPairSync } from 'node:crypto';
import { privateKeyProblem } from '../../src/okta/private-key';

describe('privateKeyProblem', () => {
  it('accepts an RSA PEM and an EC private JWK, the two forms the SDK reads', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(privateKeyProblem(rsa.export({ type: 'pkcs8', format: 'pem' }).toString())).toBeUndefined();
    expect(privateKeyProblem(JSON.stringify(ec.export({ format: 'jwk' })))).toBeUndefined();
  });

  it('names a key type Okta cannot sign client assertions with', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(privateKeyProblem(ed)).toBe('is a ed25519 key; Okta needs an RSA or EC key');
  });

  it('says what is expected for text that is no key, without quoting it', () => {
    const text = '-----BEGIN PRIVATE KEY-----\nnot-base64-secret-material\n-----END PRIVATE KEY-----';
    const problem = privateKeyProblem(text);
    expect(problem).toMatch(/^is not a PEM private key/);
    expect(problem).not.toContain('secret-material');
  });
});
