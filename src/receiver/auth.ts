import { createHash, timingSafeEqual } from 'node:crypto';
import type { HookSecrets } from '../secrets/hook-secret';

// Comparing fixed-length digests lets timingSafeEqual run without leaking the secret's length through an early exit.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether the header value Okta sent equals the current or the previous secret. Both are always compared, in
 * constant time, so timing tells nothing about which one (if any) matched.
 */
export function secretMatches(presented: string | undefined, secrets: HookSecrets): boolean {
  if (presented === undefined || presented === '') return false;
  const given = digest(presented);
  let matched = false;
  for (const candidate of [secrets.current, secrets.previous]) {
    if (candidate) matched = timingSafeEqual(given, digest(candidate)) || matched;
  }
  return matched;
}
