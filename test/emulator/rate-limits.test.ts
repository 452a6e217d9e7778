import { DEMO, startOktaEmulator } from '../../emulator';
import { bucketFor } from '../../emulator/rate-limits';
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

  it('sends X-Rate-Limit headers (reset in epoch seconds) and Date on every API response', async () => {
    const { emulator, client } = await startHarness();
    try {
      const res = await raw(client, 'GET', `${emulator.url}/api/v1/apps/${DEMO.appId}/users`);
      expect(res.headers.get('x-rate-limit-limit')).toBe('100');
      expect(res.headers.get('x-rate-limit-remaining')).toBe('99');
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
      rateLimits: { windowMs: 3_600_000, limits: { apps: 2 } },
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
      { rateLimits: { windowMs: 1000, limits: { 'users-item': 1 } } },
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
      // While the concurrent limit is exceeded, Okta's three headers report it instead of the per-minute bucket.
      const limited = answers.find((r) => r.status === 429)!;
      expect(limited.headers.get('x-rate-limit-limit')).toBe('1');
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
