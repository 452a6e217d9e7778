/**
 * Okta's rate-limit buckets, as its developer docs group the endpoints this project calls (`rl-global-mgmt`, the
 * per-endpoint table; the org's Rate Limits dashboard shows the same split). The one place a request is classified:
 * the governor keeps a state and reset per bucket, so each must be the bucket Okta meters, or a busy bucket would
 * hold back calls Okta counts elsewhere (or let through calls Okta counts against an exhausted one).
 *
 * - `apps`: `/api/v1/apps` and everything under `/api/v1/apps/{id}/…` (assign, unassign, app users, groups, keys,
 *   metadata): the small bucket (100/min paid, 20/min free developer orgs) that bounds per-user assignment.
 * - `apps-item`: `GET/PUT/DELETE /api/v1/apps/{id}` itself (600/min).
 * - `users-get`: `GET /api/v1/users/{id}` (1,000–2,000/min).
 * - `users-item`: `POST/PUT/DELETE /api/v1/users/{id}` (600/min): profile writes.
 * - `users`: the `/api/v1/users` collection (list, search, create).
 * - `default`: "most other `/api/v1` endpoints", which is where the docs leave user sub-resources such as
 *   `/users/{id}/groups`, `/users/{id}/appLinks` and `/users/{id}/lifecycle/…`.
 * - `groups`, `event-hooks`, `logs` (`/api/v1/logs`), `oauth` (`/oauth2/…`, the token endpoint).
 *
 * By default one API token or OAuth service app may use only 50% of a bucket (`rl2-token-oauth`); Okta reports the
 * ceiling that applies in `X-Rate-Limit-Limit`, so nothing here hard-codes a limit.
 */
export const OKTA_BUCKETS = [
  'apps',
  'apps-item',
  'users-get',
  'users-item',
  'users',
  'groups',
  'event-hooks',
  'logs',
  'oauth',
  'default',
] as const;
export type OktaBucket = (typeof OKTA_BUCKETS)[number];

export function bucketOf(method: string, url: string): OktaBucket {
  const path = new URL(url, 'http://x').pathname.replace(/\/+$/, '');
  const verb = method.toUpperCase();
  if (path.startsWith('/oauth2/')) return 'oauth';
  if (path === '/api/v1/logs') return 'logs';
  if (/^\/api\/v1\/apps\/[^/]+$/.test(path) && ['GET', 'PUT', 'DELETE'].includes(verb)) return 'apps-item';
  if (path === '/api/v1/apps' || path.startsWith('/api/v1/apps/')) return 'apps';
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return verb === 'GET' ? 'users-get' : 'users-item';
  if (path === '/api/v1/users') return 'users';
  if (path === '/api/v1/groups' || path.startsWith('/api/v1/groups/')) return 'groups';
  if (path === '/api/v1/eventHooks' || path.startsWith('/api/v1/eventHooks/')) return 'event-hooks';
  return 'default';
}
