import type { RateLimitSettings } from './types';

/**
 * Per-minute limits of a paid org, by bucket, as Okta's rate-limit pages group endpoints (developer.okta.com/docs/
 * reference/rl-global-mgmt and the org's Rate Limits dashboard):
 * - `apps`: `/api/v1/apps` and everything under `/api/v1/apps/{id}/…` (assignments, app users, groups, keys,
 *   metadata): the smallest bucket. `apps-item`: `GET/PUT/DELETE /api/v1/apps/{id}` itself.
 * - `users-get`: `GET /api/v1/users/{id}`; `users-item`: `POST/PUT/DELETE /api/v1/users/{id}`; `users`: the
 *   `/api/v1/users` collection (list, search, create). User sub-resources (`/users/{id}/groups`, `/appLinks`,
 *   `/lifecycle/…`) are not listed, so they count against `default` ("most other `/api/v1` endpoints").
 * - `logs`: `/api/v1/logs`: 120/min on some plans and 50/min on others (rl-global-mgmt's per-plan tables;
 *   rl2-token-oauth uses 120 as its example). The emulator defaults to the smaller figure, so a client is exercised
 *   against the plan that gives it least; `LOGS_LIMIT_BY_PLAN` has both for benchmarks that want the other.
 */
export const LOGS_LIMIT_BY_PLAN = { smaller: 50, larger: 120 } as const;

export const DEFAULT_RATE_LIMITS: Record<string, number> = {
  apps: 100,
  'apps-item': 600,
  users: 600,
  'users-get': 1000,
  'users-item': 600,
  groups: 500,
  eventHooks: 100,
  logs: LOGS_LIMIT_BY_PLAN.smaller,
  oauth2: 600,
  default: 600,
};

export const DEFAULT_RATE_LIMIT_SETTINGS: RateLimitSettings = {
  enabled: true,
  windowMs: 60_000,
  limits: DEFAULT_RATE_LIMITS,
  maxConcurrent: 0,
  credentialShare: 50,
  credentialShares: {},
};

/** The bucket a request counts against. */
export function bucketFor(method: string, path: string): string {
  if (path.startsWith('/oauth2/')) return 'oauth2';
  if (path === '/api/v1/logs') return 'logs';
  if (/^\/api\/v1\/apps\/[^/]+\/?$/.test(path) && ['GET', 'PUT', 'DELETE'].includes(method))
    return 'apps-item';
  if (path === '/api/v1/apps' || path.startsWith('/api/v1/apps/')) return 'apps';
  if (/^\/api\/v1\/users\/[^/]+\/?$/.test(path)) return method === 'GET' ? 'users-get' : 'users-item';
  if (path === '/api/v1/users' || path === '/api/v1/users/') return 'users';
  if (path === '/api/v1/groups' || path.startsWith('/api/v1/groups/')) return 'groups';
  if (path === '/api/v1/eventHooks' || path.startsWith('/api/v1/eventHooks/')) return 'eventHooks';
  return 'default';
}

export interface RateDecision {
  allowed: boolean;
  /** The ceiling that applies to this request: the credential's share of the bucket when one is set. */
  limit: number;
  /**
   * What is left of that ceiling, as the headers say it. Under a credential's share it is the credential's own count
   * only: Okta notes that for a client-specific limit the headers show the client's limit while the org's bucket
   * still applies (developer docs `rl2-token-oauth`, "client-specific rate limits"), so another integration spending
   * the org bucket can bring a 429 while `remaining` is still above 0.
   */
  remaining: number;
  /** Epoch seconds when the bucket refills, as Okta's X-Rate-Limit-Reset. */
  resetSeconds: number;
}

interface Window {
  start: number;
  used: number;
  byCredential: Map<string, number>;
}

/**
 * Fixed windows per bucket, each starting (on a whole second) with the bucket's first request (Okta's windows are per bucket and not
 * aligned to wall-clock minutes), so every bucket has its own remaining count and reset. Within a bucket, one API
 * token or OAuth service app may use only its share (default 50%: developer.okta.com/docs/reference/rl2-token-oauth,
 * "each API token or OAuth 2.0 app can use up to 50% of a bucket's total rate limit"); 100 turns the share off.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  constructor(public settings: RateLimitSettings) {}

  /** The credential's ceiling in a bucket of `limit` requests per window. */
  credentialLimit(limit: number, credential: string | undefined): number {
    const share =
      (credential === undefined ? undefined : this.settings.credentialShares[credential]) ??
      this.settings.credentialShare;
    if (credential === undefined || share >= 100) return limit;
    return Math.max(1, Math.floor((limit * share) / 100));
  }

  take(bucket: string, credential?: string, now = Date.now()): RateDecision {
    const { windowMs, limits } = this.settings;
    const limit = limits[bucket] ?? limits.default ?? DEFAULT_RATE_LIMITS.default!;
    let w = this.windows.get(bucket);
    if (!w || now >= w.start + windowMs) {
      // Starts on a whole second, so X-Rate-Limit-Reset (epoch seconds) is exact even for compressed windows.
      w = { start: Math.floor(now / 1000) * 1000, used: 0, byCredential: new Map() };
      this.windows.set(bucket, w);
    }
    const ceiling = this.credentialLimit(limit, credential);
    const mine = credential === undefined ? w.used : (w.byCredential.get(credential) ?? 0);
    const allowed = w.used < limit && mine < ceiling;
    if (allowed) {
      w.used += 1;
      if (credential !== undefined) w.byCredential.set(credential, mine + 1);
    }
    const mineAfter = mine + (allowed ? 1 : 0);
    return {
      allowed,
      limit: ceiling,
      remaining:
        credential === undefined || ceiling >= limit
          ? Math.max(0, limit - w.used)
          : Math.max(0, ceiling - mineAfter),
      resetSeconds: Math.ceil((w.start + windowMs) / 1000),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}

export function mergeRateLimits(
  base: RateLimitSettings,
  patch: Partial<RateLimitSettings> | false | undefined,
): RateLimitSettings {
  if (patch === false) return { ...base, enabled: false };
  if (!patch) return base;
  return {
    ...base,
    ...patch,
    limits: { ...base.limits, ...patch.limits },
    credentialShares: { ...base.credentialShares, ...patch.credentialShares },
  };
}
