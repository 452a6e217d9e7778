import type { RateLimitSettings } from './types';

/**
 * Realistic per-minute limits of a paid org (Okta's "Management rate limits"). All of /api/v1/apps* shares one
 * small bucket, except the app item itself, which has its own.
 */
export const DEFAULT_RATE_LIMITS: Record<string, number> = {
  apps: 100,
  'apps-item': 600,
  users: 600,
  'users-item': 600,
  groups: 500,
  eventHooks: 100,
  oauth2: 600,
  default: 600,
};

export const DEFAULT_RATE_LIMIT_SETTINGS: RateLimitSettings = {
  enabled: true,
  windowMs: 60_000,
  limits: DEFAULT_RATE_LIMITS,
  maxConcurrent: 0,
};

/** The bucket a request counts against. */
export function bucketFor(method: string, path: string): string {
  if (path.startsWith('/oauth2/')) return 'oauth2';
  if (/^\/api\/v1\/apps\/[^/]+\/?$/.test(path) && ['GET', 'PUT', 'DELETE'].includes(method))
    return 'apps-item';
  if (path === '/api/v1/apps' || path.startsWith('/api/v1/apps/')) return 'apps';
  if (/^\/api\/v1\/users\/[^/]+\/?$/.test(path)) return 'users-item';
  if (path === '/api/v1/users' || path.startsWith('/api/v1/users/')) return 'users';
  if (path === '/api/v1/groups' || path.startsWith('/api/v1/groups/')) return 'groups';
  if (path === '/api/v1/eventHooks' || path.startsWith('/api/v1/eventHooks/')) return 'eventHooks';
  return 'default';
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the bucket refills, as Okta's X-Rate-Limit-Reset. */
  resetSeconds: number;
}

/** Fixed windows aligned to multiples of windowMs, so a 1 s window resets on whole seconds like Okta's headers. */
export class RateLimiter {
  private readonly counts = new Map<string, { windowStart: number; used: number }>();
  constructor(public settings: RateLimitSettings) {}

  take(bucket: string, now = Date.now()): RateDecision {
    const { windowMs, limits } = this.settings;
    const limit = limits[bucket] ?? limits.default ?? DEFAULT_RATE_LIMITS.default!;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    let c = this.counts.get(bucket);
    if (!c || c.windowStart !== windowStart) {
      c = { windowStart, used: 0 };
      this.counts.set(bucket, c);
    }
    const allowed = c.used < limit;
    if (allowed) c.used += 1;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - c.used),
      resetSeconds: Math.ceil((windowStart + windowMs) / 1000),
    };
  }

  reset(): void {
    this.counts.clear();
  }
}

export function mergeRateLimits(
  base: RateLimitSettings,
  patch: Partial<RateLimitSettings> | false | undefined,
): RateLimitSettings {
  if (patch === false) return { ...base, enabled: false };
  if (!patch) return base;
  return { ...base, ...patch, limits: { ...base.limits, ...patch.limits } };
}
