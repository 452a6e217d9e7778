import { RetryLaterError } from './errors';
import { isTransientFailure, type OktaOutage } from './okta-outage';
import { transientDelaySeconds } from './retry-delay';

/*
 * The worker Lambda's retry policy while Okta fails (the local runtime's is src/local/consumer.ts): one container
 * can't bring back a message another container parked (only the receipt handle of a message in flight can change
 * its visibility) and SQS counts every return as a receive, so instead of parking failed messages for minutes and
 * hoping someone wakes them, an invocation holds its record through the outage:
 * - the record that fails transiently is tried again in place, at growing intervals (`probeIntervalMs`: 1 s, up to
 *   3 s as the outage lasts), so Okta sees one call every few seconds per invocation, not one per message;
 * - a 429 whose bucket resets within two seconds is waited out in place too;
 * - the moment a try succeeds Okta is back: the rest of the batch goes on, and the queue's other messages, which
 *   waited visible and unreceived, flow within seconds;
 * - when the invocation's time runs short the record goes back to the queue for a moment (`returnDelaySeconds`), so
 *   the next invocation holds again; only its last `PARKED_RECEIVES` receives before the dead-letter queue wait on
 *   the exponential schedule instead (10 s doubling to 15 minutes), so a long outage does not spend them all at once.
 *
 * Each receive holds for about 40 s, so the receives before those last ones are how long a lone message recovers
 * within seconds: about 35 minutes of outage with the default of 60 receives, then up to 15 minutes; the parked tail
 * adds about 50 minutes before the dead-letter queue.
 */

/** The receives a work item has before SQS moves it to the dead-letter queue (the stack's `maxReceiveCount`). */
export const DEFAULT_MAX_RECEIVE_COUNT = 60;

/** The last receives before the dead-letter queue, which back off exponentially rather than coming back at once. */
export const PARKED_RECEIVES = 10;

/** The receive from which a record waits on the exponential schedule, for a queue's `maxReceiveCount`. */
export function parkFromReceive(maxReceiveCount: number): number {
  return Math.max(1, maxReceiveCount - PARKED_RECEIVES);
}

/** The longest an invocation holds a record through an outage. */
export const OUTAGE_HOLD_MS = 40_000;

/** What an invocation must keep after a hold: the rest of its batch and middy's early timeout. */
export const HOLD_MARGIN_MS = 12_000;

/**
 * A 429 whose bucket resets this soon is waited out in place, as the rate governor waits inline for a nearly empty
 * bucket, rather than sent back to the queue (where SQS counts a receive and spreads repeat bounces over minutes).
 */
export const INLINE_RESET_WAIT_MS = 2_000;

/** The wait between two tries of a held record: 1 s, growing by a second per two minutes of outage up to 3 s. */
export function probeIntervalMs(failingForMs: number, random: number): number {
  const base = Math.min(3_000, 1_000 + failingForMs / 120);
  return Math.round(base * (0.75 + random / 2));
}

/**
 * How long a record that failed transiently stays invisible, in seconds (an SQS visibility timeout): a moment while
 * it has receives to spare, then the exponential schedule for its last `PARKED_RECEIVES`.
 */
export function returnDelaySeconds(receiveCount: number, maxReceiveCount: number, random: number): number {
  const parkFrom = parkFromReceive(maxReceiveCount);
  if (receiveCount < parkFrom) return 1 + Math.floor(random * 3);
  return transientDelaySeconds(receiveCount - parkFrom + 1, random);
}

export interface HoldDeps {
  outage: OktaOutage;
  /** Time left in the invocation, ms. */
  remainingMs: () => number;
  /** @default OUTAGE_HOLD_MS; 0 turns holding off */
  holdMs: number;
  random: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Runs the record's work; on a transient failure, tries again in place while the hold budget and the invocation's
 * time allow. Tells the outage every answer. Throws the last failure when the hold ends without a success.
 */
export async function holdThroughOutage<T>(run: () => Promise<T>, deps: HoldDeps): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.now ?? Date.now;
  const deadline = now() + deps.holdMs;
  for (;;) {
    try {
      const result = await run();
      deps.outage.answered();
      return result;
    } catch (error) {
      let wait: number;
      if (error instanceof RetryLaterError && error.retryAt - now() <= INLINE_RESET_WAIT_MS) {
        deps.outage.answered(); // a 429 is Okta answering
        wait = Math.max(0, error.retryAt - now());
      } else if (isTransientFailure(error)) {
        deps.outage.failed();
        wait = probeIntervalMs(deps.outage.failingForMs(), deps.random());
      } else throw error;
      if (now() + wait > deadline || deps.remainingMs() - wait < HOLD_MARGIN_MS) throw error;
      await sleep(wait);
    }
  }
}
