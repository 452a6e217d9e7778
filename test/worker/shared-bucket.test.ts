import { OktaRateLimitedError } from '../../src/okta/errors';
import { RateGovernor } from '../../src/okta/rate-governor';
import { SharedBucketCeilings } from '../../src/okta/shared-bucket';

const APPS = 'https://o.okta.com/api/v1/apps/0oa1/users';

/** Okta's headers for the apps bucket: our share's limit, what is left of it, the reset (epoch seconds). */
function answer(limit: number, remaining: number, resetSeconds: number) {
  const values: Record<string, string> = {
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(resetSeconds),
  };
  return { get: (name: string) => values[name.toLowerCase()] ?? null };
}

/*
 * developer docs rl2-token-oauth: under a client-specific share the headers show the client's own limit and count
 * while the org's bucket still applies; another integration can spend the org bucket first, and our 429 then comes
 * while the headers still show room.
 */
describe('Class: RateGovernor when another integration shares the bucket', () => {
  let clock = 1_000_000_000;
  const governor = () =>
    new RateGovernor({
      now: () => clock,
      maxInlineWaitMs: 500,
      sleep: async (ms) => void (clock += ms),
    });

  it('takes a 429 as the bucket spent until its reset, even while the headers show room', async () => {
    const g = governor();
    await g.acquire(APPS, 'POST');
    g.observe(APPS, answer(50, 10, clock / 1000 + 30), 'POST', 429);
    await expect(g.acquire(APPS, 'POST')).rejects.toBeInstanceOf(OktaRateLimitedError);
  });

  it('in the next window holds to what the org left it last time, less one, counting calls made before Okta answers', async () => {
    const g = governor();
    const reset1 = clock / 1000 + 1;
    g.observe(APPS, answer(50, 10, reset1), 'POST', 429); // counted 40 when the org ran dry: ceiling 39
    clock = reset1 * 1000 + 100;
    // Before Okta's first answer in the new window: 39 may start, not 50.
    const tryStart = () => g.acquire(APPS, 'POST');
    for (let i = 0; i < 39; i++) await tryStart();
    expect(clock).toBe(reset1 * 1000 + 100); // none of them waited
    await tryStart();
    // The 40th waits (inline, until Okta's answer would say where the window stands) instead of going at once.
    expect(clock).toBeGreaterThanOrEqual(reset1 * 1000 + 600);
  });
});

describe('Class: SharedBucketCeilings', () => {
  it('learns a ceiling from an org-limited 429 and raises it by one after three clean windows, then drops it', () => {
    const c = new SharedBucketCeilings();
    c.orgLimited('apps', 50, 10);
    expect(c.ceilingOf('apps')).toBe(39);
    expect(c.newWindow('apps', 50, 50)).toBe(39); // the window of the 429 ends: not clean
    expect(c.newWindow('apps', 50, 50)).toBe(39);
    expect(c.newWindow('apps', 50, 50)).toBe(39);
    expect(c.newWindow('apps', 50, 50)).toBe(40);
    for (let i = 0; i < 40; i++) c.newWindow('apps', 50, 50);
    expect(c.ceilingOf('apps')).toBeUndefined();
    expect(c.newWindow('apps', 50, 45)).toBe(45);
  });

  it('leaves the headers’ figure alone in a bucket that never met another integration', () => {
    expect(new SharedBucketCeilings().newWindow('users-get', 500, 480)).toBe(480);
  });
});
