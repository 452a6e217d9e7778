import { ok } from '../http';
import type { Route } from '../router';
import { updateAllAppUserNames } from '../org/username-push';

/**
 * `POST /__emulator/apps/{appId}/update-usernames`: the admin's "Update Now" on the app's Sign On tab, which Okta
 * offers in its Admin Console only (support.okta.com "Application Usernames Are Not Being Updated Automatically").
 * Every app user gets the template's username; each change is an `application.user_membership.change_username`
 * event (org/username-push.ts). Answers `{ changed }`.
 */
export const usernameUpdateRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/__emulator/apps/:appId/update-usernames',
    handler: (req, { state }) => ok({ changed: updateAllAppUserNames(state, req.params.appId!) }),
  },
];
