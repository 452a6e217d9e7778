import { OktaTransientError } from '../okta/errors';
import { isRetryableFrontlineError } from '../twilio/errors';

/** How soon the probe comes back while Okta keeps failing, and how soon parked items return once it answers. */
export const OUTAGE_PROBE_MS = 2_000;
export const OUTAGE_WAKE_WITHIN_MS = 2_000;

/** The failures an outage plans: Okta's 5xx, timeouts and network errors, and Twilio's 429/5xx. */
export function isTransientFailure(error: unknown): boolean {
  return error instanceof OktaTransientError || isRetryableFrontlineError(error);
}

/**
 * Whether Okta is failing for everyone, and what a failed item should do about it: the retry policy of `serve`'s
 * queue (src/local/consumer.ts) and of the worker Lambda (src/worker/sqs-handler.ts), one per process.
 *
 * The backoff grows with how long Okta has been failing, not with one item's own failures: an item that failed
 * four times while Okta had a bad minute has nothing to wait for once Okta answers again. So:
 * - the first transient failure after a success opens an outage and waits `baseMs`;
 * - while the outage lasts, a failed item waits as long as the outage has lasted so far (at least `baseMs`, at most
 *   `maxMs`, +0–20% jitter): waits double with the outage, not per item;
 * - one item at a time is the probe: it comes back within `probeMs` (jittered), so an Okta that answers again is
 *   seen within seconds even when every other item waits minutes (tried that often, an item still uses up its
 *   attempts no faster than its own backoff would: src/sqlite/work-queue.ts `fail`);
 * - the first success ends the outage (`answered()` says so), and the caller brings every parked item back within
 *   `wakeWithinMs`, each at a random moment in it so they don't return in one burst.
 */
export interface OutagePolicy {
  /** The first wait, and the least any wait is. */
  baseMs: number;
  /** The longest wait. */
  maxMs: number;
  /** How soon the probe comes back while Okta keeps failing. */
  probeMs: number;
  /** Once Okta answers again, parked items come back within this long. */
  wakeWithinMs: number;
}

export interface FailurePlan {
  /** How long the item waits before its next attempt. */
  delayMs: number;
  /** This item is the outage's probe (comes back soon). */
  probe: boolean;
}

export class OktaOutage {
  private failingSince: number | undefined;
  private probeDueAt = Number.NEGATIVE_INFINITY;

  public constructor(
    private readonly policy: OutagePolicy,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** True while no Okta call has succeeded since the last transient failure. */
  public get failing(): boolean {
    return this.failingSince !== undefined;
  }

  /** How long Okta has been failing, ms (0 when it is not). */
  public failingForMs(): number {
    return this.failingSince === undefined ? 0 : Math.max(0, this.now() - this.failingSince);
  }

  /** An item's Okta work failed transiently (5xx, timeout, network): how long it waits. */
  public failed(): FailurePlan {
    const now = this.now();
    if (this.failingSince === undefined) {
      this.failingSince = now;
      this.probeDueAt = Number.NEGATIVE_INFINITY;
      return { delayMs: this.jittered(this.policy.baseMs), probe: false };
    }
    if (this.probeDueAt <= now) {
      const delayMs = Math.round(this.policy.probeMs * (0.5 + this.random() / 2));
      this.probeDueAt = now + delayMs;
      return { delayMs, probe: true };
    }
    const wait = Math.min(this.policy.maxMs, Math.max(this.policy.baseMs, now - this.failingSince));
    return { delayMs: this.jittered(wait), probe: false };
  }

  /** Okta answered (a success, or a refusal that is Okta's own): true when this ends an outage. */
  public answered(): boolean {
    const ended = this.failingSince !== undefined;
    this.failingSince = undefined;
    this.probeDueAt = Number.NEGATIVE_INFINITY;
    return ended;
  }

  /** When a parked item comes back after an outage ended: a random moment within `wakeWithinMs`. */
  public wakeDelayMs(): number {
    return Math.floor(this.random() * this.policy.wakeWithinMs);
  }

  private jittered(ms: number): number {
    return Math.round(ms * (1 + 0.2 * this.random()));
  }
}
