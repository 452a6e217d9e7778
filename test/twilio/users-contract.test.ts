import { Logger } from '@aws-lambda-powertools/logger';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  DEFAULT_FRONTLINE_ACCOUNT_SID,
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import type { TwilioCredentials } from '../../src/twilio/config';
import {
  FrontlineError,
  FrontlinePermanentError,
  FrontlineRateLimitedError,
  FrontlineTransientError,
  isFatalFrontlineError,
  isRetryableFrontlineError,
} from '../../src/twilio/errors';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import twilio from 'twilio';
import { createTwilioFrontlineUsers, twilioClientOptions } from '../../src/twilio/twilio-users';
import type { FrontlineUsers } from '../../src/twilio/users';

const API_KEY = { sid: 'SK0123456789abcdef0123456789abcdef', secret: 'Kq7-api-key-secret-must-never-leak' };
const ACCOUNT: TwilioCredentials = {
  kind: 'auth-token',
  accountSid: DEFAULT_FRONTLINE_ACCOUNT_SID,
  authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
};
const WRONG_TOKEN = 'wrong-token-4d3c2b1a-must-never-leak';

type Factory = (o: { apiUrl: string; credentials: TwilioCredentials; timeoutMs?: number }) => FrontlineUsers;
const ADAPTERS: [string, Factory][] = [
  ['twilio library', createTwilioFrontlineUsers],
  ['fetch', createFetchFrontlineUsers],
];

/** Everything a log line or a crash report could show of an error: message, stack, cause chain, own fields. */
function everythingAbout(error: unknown): string {
  const lines: string[] = [];
  const spies = (['info', 'warn', 'error', 'log', 'debug'] as const).map((level) =>
    jest
      .spyOn(console, level)
      .mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
  );
  const stdout = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  try {
    new Logger({ serviceName: 'test', logLevel: 'DEBUG' }).error('frontline call failed', error as Error);
  } finally {
    spies.forEach((s) => s.mockRestore());
    stdout.mockRestore();
  }
  return [
    String(error),
    (error as Error).stack ?? '',
    inspect(error, { depth: Infinity, showHidden: true }),
    JSON.stringify(error),
    ...lines,
  ].join('\n');
}

function expectNoSecret(text: string, username: string, secret: string): void {
  expect(text).not.toContain(secret);
  expect(text).not.toContain(Buffer.from(`${username}:${secret}`).toString('base64'));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A loopback server answering every request with one canned response, for answers the emulator never gives. */
async function cannedServer(
  status: number,
  body: string | undefined,
): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    if (body === undefined) return; // never answers: a hung connection
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const closeServer = (server: Server) =>
  new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });

describe.each(ADAPTERS)('Frontline Users adapter (%s) against the emulator', (_name, create) => {
  let emulator: RunningFrontlineEmulator;
  let users: FrontlineUsers;
  beforeAll(async () => {
    emulator = await startFrontlineEmulator({ apiKeys: [API_KEY] });
    users = create({ apiUrl: emulator.url, credentials: ACCOUNT });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.control.reset());

  it('answers undefined for a user who never signed in', async () => {
    await expect(users.get('ana@example.com')).resolves.toBeUndefined();
    expect(emulator.control.requestLog().map((e) => [e.method, e.status])).toEqual([['GET', 404]]);
  });

  it('reads a signed-in user', async () => {
    const { user } = emulator.control.signIn('ana@example.com', { friendlyName: 'Ana Diaz' });
    await expect(users.get('ana@example.com')).resolves.toEqual({
      sid: user.sid,
      identity: 'ana@example.com',
      friendlyName: 'Ana Diaz',
      avatar: null,
      state: 'active',
      isAvailable: false,
    });
  });

  it('deactivates with a form-encoded State, ending the sessions', async () => {
    emulator.control.signIn('ana@example.com');
    const after = await users.update('ana@example.com', { state: 'deactivated' });
    expect(after).toMatchObject({ identity: 'ana@example.com', state: 'deactivated' });
    expect(emulator.control.getUser('ana@example.com')).toMatchObject({
      state: 'deactivated',
      activeSessions: 0,
    });
    expect(emulator.control.requestLog().at(-1)).toMatchObject({
      method: 'POST',
      params: { State: 'deactivated' },
      auth: 'account',
    });
  });

  it('sends only the fields asked for: reactivation and FriendlyName together', async () => {
    emulator.control.signIn('ana@example.com', { friendlyName: 'ana' });
    await users.update('ana@example.com', { state: 'deactivated' });
    const after = await users.update('ana@example.com', { state: 'active', friendlyName: 'Ana Diaz' });
    expect(after).toMatchObject({ state: 'active', friendlyName: 'Ana Diaz' });
    expect(emulator.control.requestLog().at(-1)?.params).toEqual({
      State: 'active',
      FriendlyName: 'Ana Diaz',
    });
    await users.update('ana@example.com', { friendlyName: 'A. Diaz' });
    expect(emulator.control.requestLog().at(-1)?.params).toEqual({ FriendlyName: 'A. Diaz' });
  });

  it('answers undefined to an update for a user who never signed in, creating no one', async () => {
    await expect(users.update('ghost@example.com', { state: 'deactivated' })).resolves.toBeUndefined();
    expect(emulator.control.users()).toEqual([]);
  });

  it.each(["o'neil+tag@example.com", 'a/b@example.com', 'x y#z?%@example.com', 'Ana@Example.com'])(
    'addresses the identity %j exactly',
    async (identity) => {
      emulator.control.signIn(identity);
      emulator.control.signIn(identity.toLowerCase());
      await expect(users.get(identity)).resolves.toMatchObject({ identity });
      await users.update(identity, { state: 'deactivated' });
      expect(emulator.control.getUser(identity)?.state).toBe('deactivated');
      if (identity !== identity.toLowerCase()) {
        expect(emulator.control.getUser(identity.toLowerCase())?.state).toBe('active');
      }
    },
  );

  it('authenticates with an API key and the account SID', async () => {
    const withKey = create({
      apiUrl: emulator.url,
      credentials: {
        kind: 'api-key',
        accountSid: DEFAULT_FRONTLINE_ACCOUNT_SID,
        apiKeySid: API_KEY.sid,
        apiKeySecret: API_KEY.secret,
      },
    });
    emulator.control.signIn('ana@example.com');
    await expect(withKey.get('ana@example.com')).resolves.toMatchObject({ state: 'active' });
    expect(emulator.control.requestLog().at(-1)).toMatchObject({ auth: 'api-key', status: 200 });
  });

  it('makes a 429 a retryable rate-limit error, without retrying inside the library', async () => {
    emulator.control.signIn('ana@example.com');
    emulator.control.injectFault({ status: 429, count: 5 });
    const error = await rejection(users.update('ana@example.com', { state: 'deactivated' }));
    expect(error).toBeInstanceOf(FrontlineRateLimitedError);
    expect(error).toMatchObject({ status: 429, code: 20429 });
    expect(isRetryableFrontlineError(error)).toBe(true);
    expect(emulator.control.requestLog()).toHaveLength(1);
    expect(emulator.control.getUser('ana@example.com')?.state).toBe('active');
  });

  it.each([500, 502, 503, 504] as const)('makes a %d a retryable transient error', async (status) => {
    emulator.control.injectFault({ status });
    const error = await rejection(users.get('ana@example.com'));
    expect(error).toBeInstanceOf(FrontlineTransientError);
    expect(error).not.toBeInstanceOf(FrontlineRateLimitedError);
    expect((error as FrontlineError).status).toBe(status);
    expect(isRetryableFrontlineError(error)).toBe(true);
  });

  it.each([
    ['an auth token', { ...ACCOUNT, authToken: WRONG_TOKEN }, DEFAULT_FRONTLINE_ACCOUNT_SID],
    [
      'an API key secret',
      {
        kind: 'api-key' as const,
        accountSid: DEFAULT_FRONTLINE_ACCOUNT_SID,
        apiKeySid: API_KEY.sid,
        apiKeySecret: WRONG_TOKEN,
      },
      API_KEY.sid,
    ],
  ])(
    'fails loudly on a 401 for %s, and the error never shows the secret',
    async (_what, credentials, username) => {
      const rejected = create({ apiUrl: emulator.url, credentials });
      emulator.control.signIn('ana@example.com');
      for (const call of [
        rejected.get('ana@example.com'),
        rejected.update('ana@example.com', { state: 'deactivated' }),
      ]) {
        const error = await rejection(call);
        expect(error).toBeInstanceOf(FrontlinePermanentError);
        expect(error).toMatchObject({ kind: 'auth', status: 401, code: 20003 });
        expect(isFatalFrontlineError(error)).toBe(true);
        expect(isRetryableFrontlineError(error)).toBe(false);
        expect((error as Error).message).toMatch(/HTTP 401 \(Twilio 20003\) Authenticate/);
        expectNoSecret(everythingAbout(error), username, WRONG_TOKEN);
      }
      // "Never skipped": a 401 for a user who never signed in is still an error, not "not found".
      await expect(rejected.get('ghost@example.com')).rejects.toBeInstanceOf(FrontlinePermanentError);
    },
  );

  it('makes a refused connection transient, and the error never shows the secret', async () => {
    const { server, url } = await cannedServer(200, '{}');
    await closeServer(server); // the port is now closed
    const secret = 'network-failure-secret-never-leaks';
    const offline = create({ apiUrl: url, credentials: { ...ACCOUNT, authToken: secret } });
    const error = await rejection(offline.update('ana@example.com', { state: 'deactivated' }));
    expect(error).toBeInstanceOf(FrontlineTransientError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expectNoSecret(everythingAbout(error), DEFAULT_FRONTLINE_ACCOUNT_SID, secret);
  });

  it('gives up on a hung request after the timeout, as a transient error', async () => {
    const { server, url } = await cannedServer(200, undefined);
    try {
      const hung = create({ apiUrl: url, credentials: ACCOUNT, timeoutMs: 200 });
      const error = await rejection(hung.get('ana@example.com'));
      expect(error).toBeInstanceOf(FrontlineTransientError);
    } finally {
      await closeServer(server);
    }
  });

  it('makes a 403 a credential error (a key that may not use Frontline)', async () => {
    const body = JSON.stringify({ code: 20403, message: 'Forbidden', more_info: 'x', status: 403 });
    const { server, url } = await cannedServer(403, body);
    try {
      const error = await rejection(create({ apiUrl: url, credentials: ACCOUNT }).get('ana@example.com'));
      expect(error).toMatchObject({ kind: 'forbidden', status: 403, code: 20403 });
      expect(isFatalFrontlineError(error)).toBe(true);
    } finally {
      await closeServer(server);
    }
  });

  it('fails loudly on Twilio\'s 404 with a code other than 20404, instead of taking it for "never signed in"', async () => {
    const body = JSON.stringify({ code: 20001, message: 'Not Found', more_info: 'x', status: 404 });
    const { server, url } = await cannedServer(404, body);
    try {
      const elsewhere = create({ apiUrl: url, credentials: ACCOUNT });
      for (const call of [
        elsewhere.get('ana@example.com'),
        elsewhere.update('ana@example.com', { state: 'deactivated' }),
      ]) {
        const error = await rejection(call);
        expect(error).toMatchObject({ kind: 'unexpected', status: 404 });
        expect((error as Error).message).toMatch(/FRONTLINE_API_URL/);
        expect(isFatalFrontlineError(error)).toBe(true);
      }
    } finally {
      await closeServer(server);
    }
  });

  it('rejects a 200 whose body is not a Frontline user, naming the field', async () => {
    const { server, url } = await cannedServer(
      200,
      JSON.stringify({ sid: 'US1', identity: 'a', state: 'gone' }),
    );
    try {
      const error = await rejection(create({ apiUrl: url, credentials: ACCOUNT }).get('a'));
      expect(error).toMatchObject({ kind: 'unexpected' });
      expect(isFatalFrontlineError(error)).toBe(true);
      expect((error as Error).message).toMatch(/unexpected answer .*\(state\)/);
    } finally {
      await closeServer(server);
    }
  });
});

describe('Function: twilioClientOptions', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['TWILIO_REGION', 'TWILIO_EDGE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('keeps the Frontline host as configured despite TWILIO_REGION and TWILIO_EDGE', () => {
    process.env.TWILIO_REGION = 'au1';
    process.env.TWILIO_EDGE = 'sydney';
    const client = twilio(
      ACCOUNT.accountSid,
      'x',
      twilioClientOptions({ apiUrl: 'https://frontline-api.twilio.com', credentials: ACCOUNT }),
    );
    // BaseTwilio.request rewrites every request's host through getHostname(host, edge, region).
    expect(client.getHostname('frontline-api.twilio.com', client.edge, client.region)).toBe(
      'frontline-api.twilio.com',
    );
    expect(client.autoRetry).toBe(false);
  });
});
