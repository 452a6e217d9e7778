import { secretMatches } from '../receiver/auth';
import { trimTrailingSlashes } from '../receiver/http';
import { EVENT_HOOK_PATH } from '../receiver/receiver';
import type { HookSecrets } from '../secrets/hook-secret';
import type { Health } from './health';
import type { EarlyAnswer, RequestHead } from './http-adapter';

export interface RouteAuth {
  /** The header Okta sends the hook secret in. */
  headerName: string;
  secrets: HookSecrets;
}

const authenticated = (head: RequestHead, auth: RouteAuth): boolean =>
  secretMatches(head.headers[auth.headerName.toLowerCase()], auth.secrets);

/**
 * serve's gate, on the request line and headers alone: any path but the hook's answers 404, another method 405,
 * a missing or wrong secret 401, all before a body byte is read (the adapter closes the connection after), so an
 * unauthenticated upload costs nothing whatever its path.
 */
export function hookPreflight(auth: RouteAuth): (head: RequestHead) => Promise<EarlyAnswer | undefined> {
  return async (head) => {
    if (trimTrailingSlashes(head.path) !== EVENT_HOOK_PATH)
      return { status: 404, body: { message: 'Not Found' } };
    if (head.method !== 'GET' && head.method !== 'POST') {
      return { status: 405, body: { message: 'Method Not Allowed' }, headers: { allow: 'GET, POST' } };
    }
    return authenticated(head, auth) ? undefined : { status: 401, body: { message: 'Unauthorized' } };
  };
}

/**
 * `/healthz`: `{"status":"ok"|"degraded"}` to anyone (a load balancer's probe), the reasons and queue counts only
 * to a caller that sends the hook secret in the hook's auth header, as Okta does: they say what is failing inside.
 */
export function healthRoute(
  health: () => Health,
  auth: RouteAuth,
): (head: RequestHead) => { status: number; body: unknown } {
  return (head) => {
    const current = health();
    return { status: 200, body: authenticated(head, auth) ? current : { status: current.status } };
  };
}
