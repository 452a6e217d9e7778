import { createOktaClient, toOktaError } from '../../src/okta/client';
import { OktaPermanentError, OktaRateLimitedError, OktaTransientError } from '../../src/okta/errors';

/** The SDK's OktaApiError for an answer of Okta's: its JSON error object, `application/json`. */
function apiError(status: number, errorCode: string, headers: Record<string, string> = {}): unknown {
  const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
  return {
    name: 'OktaApiError',
    status,
    errorCode,
    errorSummary: `summary for ${errorCode}`,
    headers: { get: (name: string) => all[name.toLowerCase()] ?? null },
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

/** What the SDK throws for an error answer: its own Http.errorFilter run on the answer, as in every call. */
async function sdkErrorFor(
  status: number,
  contentType: string | null,
  body: string,
  options: { url?: string; headers?: Record<string, string> } = {},
): Promise<unknown> {
  const client = createOktaClient({
    orgUrl: 'http://127.0.0.1:9',
    credentials: { kind: 'ssws', token: 't' },
  });
  const Http = client.http.constructor as unknown as { errorFilter(response: unknown): Promise<unknown> };
  const headers = new Headers(options.headers);
  if (contentType !== null) headers.set('content-type', contentType);
  const answer = {
    status,
    url: options.url ?? 'http://127.0.0.1:9/api/v1/users/00u1',
    headers,
    text: async () => body,
  };
  try {
    await Http.errorFilter(answer);
  } catch (err) {
    return err;
  }
  throw new Error('expected the SDK to throw');
}

const OKTA_404 = JSON.stringify({
  errorCode: 'E0000007',
  errorSummary: 'Not found: Resource not found: 00u1 (User)',
  errorLink: 'E0000007',
  errorId: 'oae1',
  errorCauses: [],
});

describe('Function: toOktaError for answers that are not Okta’s', () => {
  it('keeps Okta’s own 404 E0000007 a permanent not-found failure', async () => {
    const error = toOktaError(await sdkErrorFor(404, 'application/json', OKTA_404), 'GET user');

    expect(error).toBeInstanceOf(OktaPermanentError);
    expect((error as OktaPermanentError).kind).toBe('not-found');
  });

  it.each([
    ['an HTML page', 'text/html; charset=utf-8', '<html><body>secret-page</body></html>'],
    ['a JSON body without errorCode', 'application/json', '{"message":"secret-page"}'],
    ['Okta’s error object in the wrong content type', 'text/plain', OKTA_404],
    ['no content type', null, OKTA_404],
    ['an empty body', 'text/html', ''],
  ])(
    'makes a 404 with %s transient, never not-found, and keeps the page out of it',
    async (_what, type, body) => {
      const error = toOktaError(await sdkErrorFor(404, type, body), 'GET user 00u1');

      expect(error).toBeInstanceOf(OktaTransientError);
      expect(error.status).toBe(404);
      expect(error.message).toMatch(/^GET user 00u1: the answer is not Okta's \(HTTP 404 /);
      expect(error.message).not.toContain('secret-page');
      expect(error.cause).toBeUndefined();
    },
  );

  it.each(['E0000008', 'E0000022'])('makes Okta’s 404 %s (a wrong path) transient, not not-found', (code) => {
    const error = toOktaError(apiError(404, code), 'GET user');

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(error.message).toMatch(/only E0000007 says the resource is gone/);
  });

  it.each([400, 401, 403])(
    'makes a %i that is not Okta’s transient, not a permanent failure',
    async (status) => {
      expect(toOktaError(await sdkErrorFor(status, 'text/html', '<html></html>'), 'x')).toBeInstanceOf(
        OktaTransientError,
      );
    },
  );

  it('keeps a 429 without Okta’s body but with its X-Rate-Limit-Reset a rate limit, on Okta’s reset', async () => {
    const serverDate = 'Sat, 28 Nov 2026 01:00:00 GMT';
    const reset = String(Date.parse(serverDate) / 1000 + 20);
    const sdkError = await sdkErrorFor(429, 'text/html', '<html>slow down</html>', {
      headers: { 'x-rate-limit-reset': reset, date: serverDate },
    });

    const error = toOktaError(sdkError, 'GET user', () => 1_000);

    expect(error).toBeInstanceOf(OktaRateLimitedError);
    expect((error as OktaRateLimitedError).resetAt).toBe(1_000 + 20_000 + 1_000);
  });

  it('makes a proxy’s 429 without Okta’s headers transient', async () => {
    const error = toOktaError(await sdkErrorFor(429, 'text/html', '<html>slow down</html>'), 'GET user');

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(error).not.toBeInstanceOf(OktaRateLimitedError);
  });

  it('reads the token endpoint’s OAuth error (JSON without errorCode) as Okta’s: a rejected credential', async () => {
    const body = JSON.stringify({
      error: 'invalid_client',
      error_description: 'The client_id is not valid.',
    });
    const sdkError = await sdkErrorFor(401, 'application/json', body, {
      url: 'https://acme.okta.com/oauth2/v1/token',
    });

    const error = toOktaError(sdkError, 'GET user');

    expect(error).toBeInstanceOf(OktaPermanentError);
    expect((error as OktaPermanentError).kind).toBe('auth');
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
