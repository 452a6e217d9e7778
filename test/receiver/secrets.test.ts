import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CachedSecret } from '../../src/secrets/cached-secret';
import { SecretError } from '../../src/secrets/errors';
import { parseHookSecrets } from '../../src/secrets/hook-secret';
import { parseOktaCredentialsSecret } from '../../src/secrets/okta-credentials';

const secretsManager = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf';
// Hook secrets are at least 16 characters (src/secrets/hook-secret.ts).
const ONE = 'hook-secret-one-0123456789';
const TWO = 'hook-secret-two-0123456789';

beforeEach(() => secretsManager.reset());

describe('Class: CachedSecret', () => {
  function cached(now: () => number = () => 0) {
    return new CachedSecret({
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
      secretId: ARN,
      parse: parseHookSecrets,
      minRefreshIntervalMs: 30_000,
      now,
    });
  }

  it('fetches once and serves later and concurrent reads from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: `{"current":"${ONE}"}` });
    const secret = cached();

    const [a, b] = await Promise.all([secret.get(), secret.get()]);
    const c = await secret.get();

    expect([a, b, c].map((s) => s.current)).toEqual([ONE, ONE, ONE]);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
  });

  it('refetches on refresh once the interval has passed, and declines before that', async () => {
    let clock = 0;
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: `{"current":"${ONE}"}` })
      .resolves({ SecretString: `{"current":"${TWO}","previous":"${ONE}"}` });
    const secret = cached(() => clock);
    await secret.get();

    clock = 10_000;
    expect(await secret.refresh()).toBeUndefined();
    clock = 30_000;
    expect(await secret.refresh()).toEqual({ current: TWO, previous: ONE });
    expect(await secret.get()).toEqual({ current: TWO, previous: ONE });
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('does not cache a failed fetch, so the next read tries again', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: 'plain-secret-0123456789' });
    const secret = cached();

    const failure = secret.get();
    await expect(failure).rejects.toBeInstanceOf(SecretError);
    await expect(failure).rejects.toThrow(`Secret ${ARN}: could not be read (ThrottlingException)`);
    expect(await secret.get()).toEqual({ current: 'plain-secret-0123456789', previous: undefined });
  });

  it('reads a binary secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: Buffer.from(`{"current":"${ONE}"}`) });
    expect((await cached().get()).current).toBe(ONE);
  });
});

describe('Function: parseHookSecrets', () => {
  it('reads current and previous', () => {
    expect(parseHookSecrets(`{"current":"${ONE}","previous":"${TWO}"}`)).toEqual({
      current: ONE,
      previous: TWO,
    });
  });

  it('treats an empty or null previous as absent', () => {
    expect(parseHookSecrets(`{"current":"${ONE}","previous":""}`).previous).toBeUndefined();
    expect(parseHookSecrets(`{"current":"${ONE}","previous":null}`).previous).toBeUndefined();
  });

  it('takes a plain-text secret as the current one', () => {
    expect(parseHookSecrets('  just-a-secret-0123456789  ')).toEqual({
      current: 'just-a-secret-0123456789',
      previous: undefined,
    });
  });

  it('names the field without echoing the value when the shape is wrong', () => {
    const attempt = () => parseHookSecrets('{"current":97531,"previous":"s3cr3t-value"}', ARN);
    expect(attempt).toThrow(SecretError);
    expect(attempt).toThrow(/current/);
    expect(attempt).not.toThrow(/97531|s3cr3t-value/);
  });

  it('rejects broken JSON without echoing it', () => {
    expect(() => parseHookSecrets('{"current":"s3cr3t-value"', ARN)).toThrow(
      `Secret ${ARN}: is not valid JSON`,
    );
  });
});

describe('Function: parseOktaCredentialsSecret', () => {
  const scopes = ['okta.users.read', 'okta.apps.manage'];

  it('reads an API token with an org URL', () => {
    expect(
      parseOktaCredentialsSecret('{"orgUrl":"https://example.okta.com/","apiToken":"00abc"}', scopes),
    ).toEqual({
      orgUrl: 'https://example.okta.com',
      credentials: { kind: 'ssws', token: '00abc' },
    });
  });

  it('reads a service app key, unescaping \\n and defaulting the scopes', () => {
    const parsed = parseOktaCredentialsSecret(
      JSON.stringify({
        clientId: '0oa1',
        privateKey: '-----BEGIN PRIVATE KEY-----\\nMII\\n-----END PRIVATE KEY-----',
      }),
      scopes,
    );
    expect(parsed).toEqual({
      orgUrl: undefined,
      credentials: {
        kind: 'private-key',
        clientId: '0oa1',
        privateKey: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----',
        scopes,
      },
    });
  });

  it('accepts a JWK private key, a key id and space-separated scopes', () => {
    const parsed = parseOktaCredentialsSecret(
      JSON.stringify({ clientId: '0oa1', privateKey: { kty: 'RSA', d: 'x' }, keyId: 'kid1', scopes: 'a b' }),
      scopes,
    );
    expect(parsed.credentials).toEqual({
      kind: 'private-key',
      clientId: '0oa1',
      privateKey: '{"kty":"RSA","d":"x"}',
      keyId: 'kid1',
      scopes: ['a', 'b'],
    });
  });

  it('rejects a secret with both kinds of credential', () => {
    expect(() => parseOktaCredentialsSecret('{"apiToken":"t0k3n","clientId":"c"}', scopes)).toThrow(
      /choose one/,
    );
  });

  it('names missing and unknown fields without echoing any value', () => {
    const attempt = () =>
      parseOktaCredentialsSecret('{"clientId":"0oa1","privatKey":"pr1v4te"}', scopes, 'okta');
    expect(attempt).toThrow(/privateKey/);
    expect(attempt).toThrow(/privatKey/);
    expect(attempt).not.toThrow(/pr1v4te/);
  });

  it('rejects a bad org URL and a non-object secret', () => {
    expect(() => parseOktaCredentialsSecret('{"orgUrl":"example.okta.com","apiToken":"t"}', scopes)).toThrow(
      /orgUrl must be an http\(s\) URL/,
    );
    expect(() => parseOktaCredentialsSecret('"t0k3n"', scopes)).toThrow(/must be a JSON object/);
    expect(() => parseOktaCredentialsSecret('t0k3n', scopes)).not.toThrow(/t0k3n/);
  });
});
