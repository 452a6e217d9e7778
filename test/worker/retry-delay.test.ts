import fc from 'fast-check';
import {
  MAX_SPREAD_WINDOWS,
  MAX_TRANSIENT_BACKOFF_SECONDS,
  OKTA_WINDOW_SECONDS,
  rateLimitedDelaySeconds,
  transientDelaySeconds,
} from '../../src/worker/retry-delay';

describe('Function: rateLimitedDelaySeconds', () => {
  it('brings a first-time rate-limited item back right after the reset', () => {
    expect(rateLimitedDelaySeconds(30_500, 1, 0)).toBe(31);
    expect(rateLimitedDelaySeconds(30_500, 1, 0.99)).toBe(32);
  });

  it('spreads an item that keeps bouncing over more of the coming windows, up to a cap', () => {
    expect(rateLimitedDelaySeconds(10_000, 2, 0.999)).toBeGreaterThanOrEqual(10 + OKTA_WINDOW_SECONDS);
    expect(rateLimitedDelaySeconds(10_000, 3, 0.999)).toBeGreaterThanOrEqual(10 + 3 * OKTA_WINDOW_SECONDS);
    expect(rateLimitedDelaySeconds(10_000, 50, 0.999)).toBeLessThanOrEqual(
      10 + (MAX_SPREAD_WINDOWS - 1) * OKTA_WINDOW_SECONDS + 2,
    );
  });

  it('never brings an item back before the reset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5_000, max: 3_600_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (ms, count, r) => {
          expect(rateLimitedDelaySeconds(ms, count, r)).toBeGreaterThanOrEqual(
            Math.max(1, Math.ceil(ms / 1000)),
          );
        },
      ),
    );
  });
});

describe('Function: transientDelaySeconds', () => {
  it('doubles with each receive and stays within the cap', () => {
    expect(transientDelaySeconds(1, 1)).toBe(10);
    expect(transientDelaySeconds(2, 1)).toBe(20);
    expect(transientDelaySeconds(3, 1)).toBe(40);
    expect(transientDelaySeconds(30, 1)).toBe(MAX_TRANSIENT_BACKOFF_SECONDS);
    expect(transientDelaySeconds(1, 0)).toBe(5);
  });
});
