import type { Client } from '@okta/okta-sdk-nodejs';
import { toOktaError } from './client';

/*
 * Whether a user's appLinks (`GET /api/v1/users/{id}/appLinks`) can tell that they hold the app. The appLinks list
 * the app's *links*, and an app's `visibility.appLinks` names the "links or icons that appear on the End-User
 * Dashboard if they're set to true" (Apps API, Application `visibility`); an app whose links are all off, or that is
 * hidden from the web dashboard (`visibility.hide.web`), may be assigned with no link listed. For such an app the
 * worker reads the assignment itself (src/worker/observe.ts) rather than take a missing link for "not assigned".
 */

/** True when the app shows a link on the dashboard, so an assignment shows in the user's appLinks. Pure. */
export function appLinksShowAssignment(app: Record<string, unknown>): boolean {
  const visibility = (app.visibility ?? {}) as { appLinks?: unknown; hide?: { web?: unknown } };
  if (visibility.hide?.web === true) return false;
  const links = visibility.appLinks;
  if (typeof links !== 'object' || links === null) return true;
  const values = Object.values(links as Record<string, unknown>);
  return values.length === 0 || values.some((v) => v === true);
}

/** How long an app's visibility is trusted before it is read again (`GET /api/v1/apps/{id}`, apps-item bucket). */
export const APP_VISIBILITY_TTL_MS = 5 * 60_000;

/** A cached `appLinksShowAssignment` per app: one read of the app every five minutes at most. */
export function cachedAppLinksShowAssignment(
  client: Client,
  now: () => number = Date.now,
): (appId: string) => Promise<boolean> {
  const cache = new Map<string, { shows: boolean; until: number }>();
  return async (appId) => {
    const hit = cache.get(appId);
    if (hit && hit.until > now()) return hit.shows;
    try {
      const app = await client.applicationApi.getApplication({ appId });
      const shows = appLinksShowAssignment(app as unknown as Record<string, unknown>);
      cache.set(appId, { shows, until: now() + APP_VISIBILITY_TTL_MS });
      return shows;
    } catch (err) {
      throw toOktaError(err, `GET app ${appId}`);
    }
  };
}
