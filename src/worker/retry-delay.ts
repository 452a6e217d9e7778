/**
 * When a failed work item should come back, in seconds (an SQS visibility timeout). Pure.
 *
 * - Rate-limited: not before the bucket's reset. SQS counts every return as a receive, and FIFO queues have no
 *   per-message delay, so a backlog larger than one window's worth would bounce once per window and reach the
 *   dead-letter queue. Each bounce therefore spreads the item over more of the coming windows (1, 2, 4 … up to 16
 *   one-minute windows): a backlog needing k windows costs about log2(k) bounces instead of k.
 * - Transient (5xx, network): exponential backoff from 10 s, with jitter, capped at 15 minutes.
 */
export const OKTA_WINDOW_SECONDS = 60;
export const MAX_SPREAD_WINDOWS = 16;
export const MAX_TRANSIENT_BACKOFF_SECONDS = 900;

export function rateLimitedDelaySeconds(msUntilReset: number, receiveCount: number, random: number): number {
  const untilReset = Math.max(1, Math.ceil(msUntilReset / 1000));
  const spreadWindows = Math.min(MAX_SPREAD_WINDOWS, 2 ** Math.max(0, receiveCount - 1)) - 1;
  // Up to 2 s of jitter even on the first bounce, so a batch doesn't come back in one instant.
  return untilReset + Math.floor(random * (spreadWindows * OKTA_WINDOW_SECONDS + 2));
}

export function transientDelaySeconds(receiveCount: number, random: number): number {
  const backoff = Math.min(MAX_TRANSIENT_BACKOFF_SECONDS, 10 * 2 ** Math.max(0, receiveCount - 1));
  return Math.max(1, Math.round(backoff * (0.5 + random / 2)));
}
