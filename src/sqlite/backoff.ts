/**
 * How long a failed item waits before its next attempt, in ms. Pure. Exponential from `baseMs`, capped at `maxMs`
 * per wait, with up to +20% jitter so a burst that failed together doesn't come back together. The jitter only
 * adds, so the documented total (defaults: 5 s … 300 s over 20 attempts, about 75 minutes) is a lower bound.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export function backoffMs(policy: BackoffPolicy, attempt: number, random: number): number {
  const exponent = Math.min(30, Math.max(0, attempt - 1));
  const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(wait * (1 + 0.2 * Math.min(1, Math.max(0, random))));
}

/** The shortest time an item keeps being retried before it is dead-lettered (no jitter, no processing time). */
export function minimumRetrySpanMs(policy: BackoffPolicy, maxReceives: number): number {
  let total = 0;
  for (let attempt = 1; attempt < maxReceives; attempt += 1) total += backoffMs(policy, attempt, 0);
  return total;
}
