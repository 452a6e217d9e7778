import { OktaRateLimitedError } from './errors';
import { bucketOf, type OktaBucket } from './rate-buckets';
import { SharedBucketCeilings } from './shared-bucket';

interface BucketState {
  limit: number;
  /** What Okta last said remains, minus the calls we started since. */
  remaining: number;
  /** Epoch ms (our clock) when the bucket refills. */
  resetAt: number;
  /**
   * A new window under a learned ceiling (./shared-bucket.ts) before Okta's first answer in it: counts the calls
   * started meanwhile, so the ceiling holds them too.
   */
  provisional?: boolean;
}

export interface RateGovernorOptions {
  /** Waits shorter than this happen in-process; longer ones throw OktaRateLimitedError so the queue waits. */
  maxInlineWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Paces calls by Okta's own `X-Rate-Limit-*` headers so we stop before a 429 instead of after it. Several calls
 * run at once, so each start takes one from the last known `remaining`; the next response corrects the estimate.
 * One governor is shared by every client in a process.
 */
export class RateGovernor {
  private readonly buckets = new Map<OktaBucket, BucketState>();
  /** What another integration leaves us of a shared bucket (./shared-bucket.ts). */
  private readonly shared = new SharedBucketCeilings();
  private readonly maxInlineWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  public constructor(options: RateGovernorOptions = {}) {
    this.maxInlineWaitMs = options.maxInlineWaitMs ?? 2_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Call before a request; resolves when it may go, or throws OktaRateLimitedError for a long wait. */
  public async acquire(url: string, method = 'GET'): Promise<void> {
    const bucket = bucketOf(method, url);
    for (;;) {
      const state = this.buckets.get(bucket);
      const now = this.now();
      if (!state || now >= state.resetAt) {
        if (state) this.buckets.delete(bucket);
        const ceiling = this.shared.ceilingOf(bucket);
        if (ceiling !== undefined) {
          // The reset is not known until Okta answers; a short stand-in, so a spent count waits inline.
          this.buckets.set(bucket, {
            limit: state?.limit ?? ceiling,
            remaining: ceiling - 1,
            resetAt: now + this.maxInlineWaitMs,
            provisional: true,
          });
        }
        return;
      }
      if (state.remaining > 0) {
        state.remaining -= 1;
        return;
      }
      const wait = state.resetAt - now;
      if (wait > this.maxInlineWaitMs) {
        throw new OktaRateLimitedError(`Okta ${bucket} rate limit exhausted until reset`, state.resetAt, {
          status: 429,
          errorCode: 'E0000047',
        });
      }
      await this.sleep(wait);
    }
  }

  /**
   * Call with every response's headers (and status). A 429 spends the bucket until its reset whatever
   * `X-Rate-Limit-Remaining` says: under a client-specific share the headers show the credential's own count while
   * the org's bucket still applies (developer docs `rl2-token-oauth`), so another integration spending the org
   * bucket can bring a 429 while they still show room; pacing on them alone would send the next call into it too.
   */
  public observe(
    url: string,
    headers: { get(name: string): string | null },
    method = 'GET',
    status?: number,
  ): void {
    const limit = Number(headers.get('x-rate-limit-limit'));
    const remaining = Number(headers.get('x-rate-limit-remaining'));
    const reset = Number(headers.get('x-rate-limit-reset'));
    if (![limit, remaining, reset].every(Number.isFinite) || headers.get('x-rate-limit-reset') === null)
      return;
    // A concurrency-limit 429 reports 0 in X-Rate-Limit-Limit and -Remaining (rl2-monitor): it says nothing about
    // the bucket's window, so it must not mark the bucket exhausted until its reset.
    if (limit === 0) return;
    const spent = status === 429;
    const serverNow = Date.parse(headers.get('date') ?? '');
    const now = this.now();
    // Reset is epoch seconds on Okta's clock. `Date` has whole-second resolution, so measuring the wait against it
    // overshoots by up to a second; when our clock agrees with Okta's (NTP), use the reset as is, else the delta.
    const skewed = Number.isFinite(serverNow) && Math.abs(serverNow - now) > 2_000;
    const resetAt = (skewed ? now + Math.max(0, reset * 1000 - serverNow) : reset * 1000) + 50;
    const bucket = bucketOf(method, url);
    if (spent && remaining > 0) this.shared.orgLimited(bucket, limit, remaining);
    const state = this.buckets.get(bucket);
    if (state && !state.provisional && Math.abs(state.resetAt - resetAt) < 1_000) {
      // Same window: keep the lower estimate, since calls we started may not be counted in this response yet.
      state.remaining = spent ? 0 : Math.min(state.remaining, remaining);
      state.limit = limit;
    } else {
      const learned = spent ? 0 : this.shared.newWindow(bucket, limit, remaining);
      // Calls started before this first answer of the window were counted against the stand-in.
      const left = state?.provisional ? Math.min(learned, state.remaining) : learned;
      this.buckets.set(bucket, { limit, remaining: left, resetAt });
    }
  }

  public snapshot(): Record<string, BucketState> {
    return Object.fromEntries([...this.buckets].map(([k, v]) => [k, { ...v }]));
  }
}
