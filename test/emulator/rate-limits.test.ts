import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator } from '../../emulator/okta';
import { createOktaClient, OKTA_SCOPES } from '../../src/okta/client';
import { bucketFor } from '../../emulator/okta/rate-limits';
import { failure, raw, startHarness } from './helpers';

describe('Okta emulator: rate limits', () => {
  it('puts app sub-resources in one bucket and the app item in its own', () => {
    expect(bucketFor('GET', `/api/v1/apps/${DEMO.appId}`)).toBe('apps-item');
    expect(bucketFor('PUT', `/api/v1/apps/${DEMO.appId}`)).toBe('apps-item');
    expect(bucketFor('POST', `/api/v1/apps/${DEMO.appId}/users`)).toBe('apps');
    expect(bucketFor('GET', `/api/v1/apps/${DEMO.appId}/sso/saml/metadata`)).toBe('apps');
    expect(bucketFor('POST', `/api/v1/apps/${DEMO.appId}/lifecycle/activate`)).toBe('apps');
    expect(bucketFor('GET', '/api/v1/apps')).toBe('apps');
    expect(bucketFor('PUT', `/api/v1/groups/${DEMO.groupId}/users/x`)).toBe('groups');
    expect(bucketFor('POST', '/api/v1/users/x')).toBe('users-item');
  });

  it('meters a user read, user writes, the users collection and user sub-resources apart', () => {
    expect(bucketFor('GET', '/api/v1/users/x')).toBe('users-get');
    expect(['POST', 'PUT', 'DELETE'].map((m) => bucketFor(m, '/api/v1/users/x'))).toEqual([
      'users-item',
      'users-item',
      'users-item',
    ]);
    expect(bucketFor('GET', '/api/v1/users')).toBe('users');
    expect(bucketFor('POST', '/api/v1/users')).toBe('users');
    // Not listed in Okta's table: "most other /api/v1 endpoints".
    expect(bucketFor('GET', '/api/v1/users/x/groups')).toBe('default');
    expect(bucketFor('GET', '/api/v1/users/x/appLinks')).toBe('default');
    expect(bucketFor('GET', '/api/v1/logs')).toBe('logs');
  });

  it('sends X-Rate-Limit headers (reset in epoch seconds) and Date on every API response', async () => {
    const { emulator, client } = await startHarness();
    try {
      const res = await raw(client, 'GET', `${emulator.url}/api/v1/apps/${DEMO.appId}/users`);
      // The apps bucket is 100/min; one API token may use 50% of it by default.
      expect(res.headers.get('x-rate-limit-limit')).toBe('50');
      expect(res.headers.get('x-rate-limit-remaining')).toBe('49');
      const reset = Number(res.headers.get('x-rate-limit-reset'));
      const date = Date.parse(res.headers.get('date') ?? '');
      expect(reset * 1000 - date).toBeGreaterThan(0);
      expect(reset * 1000 - date).toBeLessThanOrEqual(61_000);
    } finally {
      await emulator.stop();
    }
  });

  it('answers 429 E0000047 once a bucket is spent, without touching other buckets', async () => {
    const { emulator, client } = await startHarness({
      rateLimits: { windowMs: 3_600_000, limits: { apps: 2 }, credentialShare: 100 },
    });
    try {
      const url = `${emulator.url}/api/v1/apps/${DEMO.appId}/users`;
      await raw(client, 'GET', url);
      await raw(client, 'GET', url);
      const err = await failure(
        client.applicationApi.listApplicationUsers({ appId: DEMO.appId }).then((c) => c.next()),
      );
      expect([err.status, err.errorCode]).toEqual([429, 'E0000047']);
      expect(err.headers.get('x-rate-limit-remaining')).toBe('0');
      const item = await raw(client, 'GET', `${emulator.url}/api/v1/apps/${DEMO.appId}`);
      expect(item.status).toBe(200);
      expect(emulator.control.requestLog().filter((r) => r.status === 429)).toHaveLength(1);
    } finally {
      await emulator.stop();
    }
  });

  it('lets the SDK retry a 429 after the reset when the window is compressed to 1 s', async () => {
    const { emulator, client } = await startHarness(
      { rateLimits: { windowMs: 1000, limits: { 'users-get': 1 } } },
      1,
    );
    try {
      for (let i = 0; i < 3; i++) {
        const user = await client.userApi.getUser({ userId: DEMO.users.agent });
        expect(user.id).toBe(DEMO.users.agent);
      }
      const statuses = emulator.control.requestLog().map((r) => r.status);
      // Three calls with a limit of 1 per second: at least one 429, each retried by the SDK after the reset.
      expect(statuses).toContain(429);
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    } finally {
      await emulator.stop();
    }
  });

  it('turns limits off with rateLimits: false (no headers, no 429)', async () => {
    const { emulator, client } = await startHarness({ rateLimits: false });
    try {
      const res = await raw(client, 'GET', `${emulator.url}/api/v1/users/${DEMO.users.agent}`);
      expect(res.headers.get('x-rate-limit-limit')).toBeNull();
    } finally {
      await emulator.stop();
    }
  });

  it('answers 429 for requests beyond the concurrency limit', async () => {
    const emulator = await startOktaEmulator({
      rateLimits: { maxConcurrent: 1 },
      faults: { latencyMs: 100 },
    });
    try {
      const get = () =>
        fetch(`${emulator.url}/api/v1/users/${DEMO.users.agent}`, {
          headers: { authorization: `SSWS ${emulator.token}` },
        });
      const answers = await Promise.all([get(), get(), get()]);
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      expect(statuses).toContain(200);
      // "The first two header values are always 0 for concurrent rate limit errors" (rl2-monitor).
      const limited = answers.find((r) => r.status === 429)!;
      expect(limited.headers.get('x-rate-limit-limit')).toBe('0');
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(Number(limited.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(
        Math.floor(Date.now() / 1000),
      );
      expect(emulator.control.requestLog().some((r) => r.cause === 'concurrency')).toBe(true);
    } finally {
      await emulator.stop();
    }
  });
});

describe('Okta emulator: separate buckets and the per-credential share', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'svc-key-1', use: 'sig', alg: 'RS256' };

  it('keeps each bucket its own count: spending user writes leaves user reads and lists alone', async () => {
    const { emulator, client } = await startHarness({
      rateLimits: { windowMs: 3_600_000, limits: { 'users-item': 2, 'users-get': 5 }, credentialShare: 100 },
    });
    try {
      const url = `${emulator.url}/api/v1/users/${DEMO.users.newHire}`;
      await raw(client, 'POST', url, { profile: { title: 'a' } });
      await raw(client, 'POST', url, { profile: { title: 'b' } });
      const third = await failure(raw(client, 'POST', url, { profile: { title: 'c' } }));
      expect(third.status).toBe(429);
      const read = await raw(client, 'GET', url);
      expect([read.status, read.headers.get('x-rate-limit-limit')]).toEqual([200, '5']);
      expect(read.headers.get('x-rate-limit-remaining')).toBe('4');
      const groups = await raw(client, 'GET', `${url}/groups`);
      expect([groups.status, groups.headers.get('x-rate-limit-limit')]).toEqual([200, '600']);
    } finally {
      await emulator.stop();
    }
  });

  it('starts each bucket window with its first request, so resets differ per bucket', async () => {
    const { emulator, client } = await startHarness({ rateLimits: { windowMs: 4_000 } });
    try {
      const first = await raw(client, 'GET', `${emulator.url}/api/v1/users/${DEMO.users.agent}`);
      await new Promise((r) => setTimeout(r, 1_100));
      const second = await raw(client, 'GET', `${emulator.url}/api/v1/groups`);
      const [a, b] = [first, second].map((r) => Number(r.headers.get('x-rate-limit-reset')));
      expect(b! - a!).toBeGreaterThanOrEqual(1);
    } finally {
      await emulator.stop();
    }
  });

  it('stops one credential at its share while another still gets its own', async () => {
    const { emulator, client } = await startHarness({
      seed: {
        ...DEMO_SEED,
        serviceApps: [{ clientId: '0oaserviceapp0000001', publicJwk, scopes: OKTA_SCOPES }],
      },
      rateLimits: { windowMs: 3_600_000, limits: { apps: 4 } },
    });
    try {
      const url = `${emulator.url}/api/v1/apps/${DEMO.appId}/users`;
      const one = await raw(client, 'GET', url);
      expect([one.headers.get('x-rate-limit-limit'), one.headers.get('x-rate-limit-remaining')]).toEqual([
        '2',
        '1',
      ]);
      await raw(client, 'GET', url);
      const over = await failure(raw(client, 'GET', url));
      expect([over.status, over.errorCode]).toEqual([429, 'E0000047']);
      expect(over.headers.get('x-rate-limit-remaining')).toBe('0');
      // The service app has its own 50% of the same bucket.
      const oauth = createOktaClient({
        orgUrl: emulator.url,
        credentials: {
          kind: 'private-key',
          clientId: '0oaserviceapp0000001',
          privateKey: privatePem,
          keyId: 'svc-key-1',
          scopes: OKTA_SCOPES,
        },
        maxRateLimitRetries: 0,
      });
      const theirs = await raw(oauth, 'GET', url);
      expect([theirs.status, theirs.headers.get('x-rate-limit-remaining')]).toEqual([200, '1']);
      const log = emulator.control.requestLog().filter((r) => r.bucket === 'apps');
      expect(log.map((r) => r.credential)).toEqual(['SSWS', 'SSWS', 'SSWS', '0oaserviceapp0000001']);
    } finally {
      await emulator.stop();
    }
  });

  it('lets a credential use the whole bucket with a share of 100', async () => {
    const { emulator, client } = await startHarness({
      rateLimits: { windowMs: 3_600_000, limits: { apps: 4 }, credentialShares: { SSWS: 100 } },
    });
    try {
      const url = `${emulator.url}/api/v1/apps/${DEMO.appId}/users`;
      for (let i = 0; i < 4; i++) expect((await raw(client, 'GET', url)).status).toBe(200);
      expect((await failure(raw(client, 'GET', url))).status).toBe(429);
    } finally {
      await emulator.stop();
    }
  });
});
