import type { OktaBucket } from './rate-buckets';

/**
 * What one credential can really spend of a bucket another integration shares. Okta's headers under a per-client
 * share show the client's own limit and count while the org's bucket still applies (developer docs
 * `rl2-token-oauth`): a 429 that comes while they still show room means the rest of the org spent the bucket
 * first. Each such 429 sets a ceiling at what we had been counted in that window, less one; every third window in
 * a row that ends without one raises it by one (until it reaches the headers' own limit and is dropped). So a
 * steady neighbour costs a 429 now and then, not every call past its share in every window.
 */
const CLEAN_WINDOWS_PER_STEP = 3;

export class SharedBucketCeilings {
  private readonly ceilings = new Map<
    OktaBucket,
    { ceiling: number; limitedThisWindow: boolean; cleanWindows: number }
  >();

  /** A 429 while the headers said `remaining` of `limit` was left: the org ran dry before our share did. */
  public orgLimited(bucket: OktaBucket, limit: number, remaining: number): void {
    const used = Math.max(0, limit - remaining);
    const current = this.ceilings.get(bucket);
    const ceiling = Math.max(1, Math.min(current?.ceiling ?? limit, used - 1));
    this.ceilings.set(bucket, { ceiling, limitedThisWindow: true, cleanWindows: 0 });
  }

  /**
   * A new window began: the calls left to us in it, given what the headers say (`limit`, `remaining`), or the
   * headers' own figure when no ceiling applies.
   */
  public newWindow(bucket: OktaBucket, limit: number, remaining: number): number {
    const learned = this.ceilings.get(bucket);
    if (!learned) return remaining;
    learned.cleanWindows = learned.limitedThisWindow ? 0 : learned.cleanWindows + 1;
    if (learned.cleanWindows >= CLEAN_WINDOWS_PER_STEP) {
      learned.ceiling += 1;
      learned.cleanWindows = 0;
    }
    learned.limitedThisWindow = false;
    if (learned.ceiling >= limit) {
      this.ceilings.delete(bucket);
      return remaining;
    }
    return Math.max(0, Math.min(remaining, learned.ceiling - (limit - remaining)));
  }

  public ceilingOf(bucket: OktaBucket): number | undefined {
    return this.ceilings.get(bucket)?.ceiling;
  }
}
