import { isTransientFailure, OktaOutage, type OutagePolicy } from '../../src/worker/okta-outage';
import { OktaPermanentError, OktaTransientError } from '../../src/okta/errors';

const POLICY: OutagePolicy = { baseMs: 5_000, maxMs: 300_000, probeMs: 2_000, wakeWithinMs: 2_000 };

function outageAt(start = 0) {
  const clock = { now: start };
  // random() = 0: no jitter, the probe at half its interval, a wake at once.
  const outage = new OktaOutage(
    POLICY,
    () => clock.now,
    () => 0,
  );
  return { clock, outage };
}

describe('Class: OktaOutage', () => {
  it('waits the base after the first failure and opens the outage', () => {
    const { outage } = outageAt();
    expect(outage.failed()).toEqual({ delayMs: 5_000, probe: false });
    expect(outage.failing).toBe(true);
  });

  it('makes the next failure the probe, back soon', () => {
    const { outage } = outageAt();
    outage.failed();
    expect(outage.failed()).toEqual({ delayMs: 1_000, probe: true });
  });

  it('grows the others’ wait with how long Okta has been failing, up to the maximum', () => {
    const { clock, outage } = outageAt();
    outage.failed();
    outage.failed(); // the probe, due in 1 s
    clock.now = 500;
    expect(outage.failed().delayMs).toBe(5_000);
    clock.now = 40_000;
    outage.failed(); // a new probe (the last one was due at 1 s)
    expect(outage.failed()).toEqual({ delayMs: 40_000, probe: false });
    clock.now = 3_600_000;
    outage.failed();
    expect(outage.failed().delayMs).toBe(300_000);
  });

  it('says an answer ends the outage, once, and starts over after it', () => {
    const { clock, outage } = outageAt();
    outage.failed();
    clock.now = 60_000;
    expect(outage.answered()).toBe(true);
    expect(outage.answered()).toBe(false);
    expect(outage.failing).toBe(false);
    expect(outage.failed()).toEqual({ delayMs: 5_000, probe: false });
  });

  it('spreads woken items over the wake window', () => {
    const values = [0, 0.5, 0.999];
    const outage = new OktaOutage(
      POLICY,
      () => 0,
      () => values.shift()!,
    );
    expect([outage.wakeDelayMs(), outage.wakeDelayMs(), outage.wakeDelayMs()]).toEqual([0, 1_000, 1_998]);
  });
});

describe('Function: isTransientFailure', () => {
  it('takes Okta’s 5xx and network failures, not its permanent answers', () => {
    expect(isTransientFailure(new OktaTransientError('GET user: 503'))).toBe(true);
    expect(isTransientFailure(new OktaPermanentError('GET user: 400', 'validation'))).toBe(false);
    expect(isTransientFailure(new Error('bug'))).toBe(false);
  });
});
