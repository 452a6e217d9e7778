import { createOktaClient, toOktaError } from '../../src/okta/client';
import { OktaPermanentError, OktaRateLimitedError, OktaTransientError } from '../../src/okta/errors';

function apiError(status: number, errorCode: string, headers: Record<string, string> = {}): unknown {
  return {
    name: 'OktaApiError',
    status,
    errorCode,
    errorSummary: `summary for ${errorCode}`,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
  };
}

describe('Function: toOktaError', () => {
  it('turns a 429 into a rate-limit error whose reset is moved onto our clock', () => {
    const serverDate = 'Sat, 28 Nov 2026 01:00:00 GMT';
    const serverNow = Date.parse(serverDate);
    const error = toOktaError(
      apiError(429, 'E0000047', { 'x-rate-limit-reset': String(serverNow / 1000 + 30), date: serverDate }),
      'assign user',
      () => 5_000,
    );

    expect(error).toBeInstanceOf(OktaRateLimitedError);
    expect((error as OktaRateLimitedError).resetAt).toBe(5_000 + 30_000 + 1_000);
  });

  it.each([
    [404, 'E0000007', 'not-found'],
    [403, 'E0000023', 'mastered-elsewhere'],
    [403, 'E0000006', 'forbidden'],
    [400, 'E0000001', 'validation'],
    [401, 'E0000011', 'auth'],
  ])('classifies %i %s as a permanent %s failure', (status, code, kind) => {
    const error = toOktaError(apiError(status, code), 'update user');

    expect(error).toBeInstanceOf(OktaPermanentError);
    expect((error as OktaPermanentError).kind).toBe(kind);
    expect(error.message).toBe(`update user: ${code} summary for ${code}`);
  });

  it('treats 5xx and failures without a status as transient', () => {
    expect(toOktaError(apiError(503, 'E0000009'), 'x')).toBeInstanceOf(OktaTransientError);
    expect(
      toOktaError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'x'),
    ).toBeInstanceOf(OktaTransientError);
  });
});

describe('Function: toOktaError for failures no retry can fix', () => {
  it('treats a URIError (a lone surrogate in a path) as a permanent invalid request', () => {
    let uriError: unknown;
    try {
      encodeURIComponent('\uD800');
    } catch (err) {
      uriError = err;
    }
    const error = toOktaError(uriError, 'GET user');
    expect(error).toBeInstanceOf(OktaPermanentError);
    expect((error as OktaPermanentError).kind).toBe('invalid-request');
  });
});

describe('Function: createOktaClient', () => {
  it('refuses an unreadable private key at once, permanently, without quoting it', () => {
    const privateKey = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----';
    for (const key of [privateKey, '{"kty":"RSA","d":"c2VjcmV0"}', 'not a key']) {
      let thrown: unknown;
      try {
        createOktaClient({
          orgUrl: 'http://127.0.0.1:1',
          credentials: {
            kind: 'private-key',
            clientId: '0oa1',
            privateKey: key,
            scopes: ['okta.users.read'],
          },
        });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(OktaPermanentError);
      expect((thrown as OktaPermanentError).kind).toBe('invalid-private-key');
      expect((thrown as Error).message).not.toContain('c2VjcmV0');
      expect((thrown as Error).cause).toBeUndefined();
    }
  });

  const credentials = { kind: 'ssws' as const, token: 'test-token' };

  it('gives 429 retries a request timeout longer than an Okta rate-limit window', () => {
    const client = createOktaClient({ orgUrl: 'http://127.0.0.1:9', credentials, maxRateLimitRetries: 2 });
    const executor = client.requestExecutor as unknown as { maxRetries: number; requestTimeout: number };

    expect(executor.maxRetries).toBe(2);
    expect(executor.requestTimeout).toBeGreaterThan(61_000);
  });

  it('keeps a short request timeout when 429s are left to the queue', () => {
    const client = createOktaClient({ orgUrl: 'http://127.0.0.1:9', credentials });
    const executor = client.requestExecutor as unknown as { maxRetries: number; requestTimeout: number };

    expect(executor.maxRetries).toBe(0);
    expect(executor.requestTimeout).toBe(10_000);
  });
});
