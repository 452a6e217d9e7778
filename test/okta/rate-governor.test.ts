import { OktaRateLimitedError } from '../../src/okta/errors';
import { bucketOf } from '../../src/okta/rate-buckets';
import { RateGovernor } from '../../src/okta/rate-governor';

function headers(values: Record<string, string>): { get(name: string): string | null } {
  return { get: (name) => values[name.toLowerCase()] ?? null };
}

describe('Function: bucketOf', () => {
  it.each([
    ['POST', 'https://o.okta.com/api/v1/apps/0oa1/users', 'apps'],
    ['DELETE', 'https://o.okta.com/api/v1/apps/0oa1/users/00u1', 'apps'],
    ['GET', 'https://o.okta.com/api/v1/apps?q=Frontline', 'apps'],
    ['GET', 'https://o.okta.com/api/v1/apps/0oa1/sso/saml/metadata', 'apps'],
    ['GET', 'https://o.okta.com/api/v1/apps/0oa1', 'apps-item'],
    ['PUT', 'https://o.okta.com/api/v1/apps/0oa1', 'apps-item'],
    ['GET', 'https://o.okta.com/api/v1/users/00u1', 'users-get'],
    ['POST', 'https://o.okta.com/api/v1/users/00u1', 'users-item'],
    ['GET', 'https://o.okta.com/api/v1/users?search=x', 'users'],
    ['GET', 'https://o.okta.com/api/v1/users/00u1/appLinks', 'default'],
    ['GET', 'https://o.okta.com/api/v1/users/00u1/groups', 'default'],
    ['GET', 'https://o.okta.com/api/v1/groups/00g1/users?limit=200', 'groups'],
    ['GET', 'https://o.okta.com/api/v1/logs?since=x', 'logs'],
    ['POST', 'https://o.okta.com/oauth2/v1/token', 'oauth'],
  ])('puts %s %s in the %s bucket, as Okta meters it', (method, url, bucket) => {
    expect(bucketOf(method, url)).toBe(bucket);
  });
});

describe('Class: RateGovernor', () => {
  const serverDate = 'Sat, 28 Nov 2026 01:00:00 GMT';
  const serverSeconds = Date.parse(serverDate) / 1000;
  let clock: number;
  let slept: number[];
  const make = (maxInlineWaitMs = 2_000): RateGovernor =>
    new RateGovernor({
      maxInlineWaitMs,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });

  beforeEach(() => {
    clock = 1_000_000;
    slept = [];
  });

  it('lets calls through while the bucket has room, counting calls still in flight', async () => {
    const governor = make();
    const url = 'https://o/api/v1/apps/0oa1/users';
    governor.observe(
      url,
      headers({
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '2',
        'x-rate-limit-reset': String(serverSeconds + 1),
        date: serverDate,
      }),
    );

    await governor.acquire(url);
    await governor.acquire(url);
    expect(slept).toEqual([]);

    await governor.acquire(url);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThanOrEqual(1_000);
  });

  it('throws a rate-limit error instead of waiting longer than the inline limit', async () => {
    const governor = make(2_000);
    const url = 'https://o/api/v1/apps/0oa1/users';
    governor.observe(
      url,
      headers({
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(serverSeconds + 60),
        date: serverDate,
      }),
    );

    await expect(governor.acquire(url)).rejects.toBeInstanceOf(OktaRateLimitedError);
    await expect(governor.acquire('https://o/api/v1/users/00u1')).resolves.toBeUndefined();
  });

  it('waits only until the reset, not a whole second more, when our clock agrees with Okta', async () => {
    const governor = make();
    const url = 'https://o/api/v1/apps/0oa1/users';
    clock = serverSeconds * 1000 + 900; // 0.9 s into the second the Date header names
    governor.observe(
      url,
      headers({
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(serverSeconds + 1),
        date: serverDate,
      }),
    );

    await governor.acquire(url);

    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeLessThanOrEqual(200);
  });

  it('forgets a bucket once its reset time has passed', async () => {
    const governor = make(0);
    const url = 'https://o/api/v1/groups/00g1/users';
    governor.observe(
      url,
      headers({
        'x-rate-limit-limit': '500',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(serverSeconds + 5),
        date: serverDate,
      }),
    );
    clock += 6_000;

    await expect(governor.acquire(url)).resolves.toBeUndefined();
  });

  it('keeps each bucket its own state and reset: exhausted profile writes hold back no user reads', async () => {
    const governor = make(2_000);
    const user = 'https://o/api/v1/users/00u1';
    governor.observe(
      user,
      headers({
        'x-rate-limit-limit': '300',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(serverSeconds + 60),
        date: serverDate,
      }),
      'POST',
    );
    governor.observe(
      user,
      headers({
        'x-rate-limit-limit': '500',
        'x-rate-limit-remaining': '400',
        'x-rate-limit-reset': String(serverSeconds + 20),
        date: serverDate,
      }),
      'GET',
    );

    await expect(governor.acquire(user, 'POST')).rejects.toBeInstanceOf(OktaRateLimitedError);
    await expect(governor.acquire(user, 'GET')).resolves.toBeUndefined();
    await expect(governor.acquire(`${user}/appLinks`, 'GET')).resolves.toBeUndefined();
    expect(governor.snapshot()).toMatchObject({
      'users-item': { limit: 300, remaining: 0, resetAt: clock + 60_050 },
      'users-get': { limit: 500, remaining: 399, resetAt: clock + 20_050 },
    });
  });

  it('does not take a concurrency-limit 429 (0 in the limit and remaining headers) for an exhausted bucket', async () => {
    const governor = make(2_000);
    const url = 'https://o/api/v1/apps/0oa1/users';
    governor.observe(
      url,
      headers({
        'x-rate-limit-limit': '0',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(serverSeconds + 60),
        date: serverDate,
      }),
      'POST',
    );

    await expect(governor.acquire(url, 'POST')).resolves.toBeUndefined();
    expect(slept).toEqual([]);
  });
});
