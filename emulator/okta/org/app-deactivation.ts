import { OktaHttpError } from '../errors';
import { appUserEvent } from './event-targets';
import type { Org } from './records';

/**
 * Assigning an app to a deactivated user: "Assigning deactivated users to applications is NOT possible" (Okta
 * support, "Can an Application Be Assigned to a Deactivated User"). Which error Okta answers is not documented: the
 * emulator answers as Okta does for other operations a user's status forbids (403 E0000038, error-codes reference:
 * "This operation is not allowed in the user's current status").
 */
export function deactivatedUserRefused(): OktaHttpError {
  return new OktaHttpError(403, 'E0000038', "This operation is not allowed in the user's current status.", [
    'An application cannot be assigned to a deactivated user',
  ]);
}

/**
 * Deactivating an app: "Deactivating an app results in a reconciliation being performed for all users who were
 * assigned to the app through group assignments. The reconciliation process removes the app assignment for the
 * deactivated app" (help.okta.com, "Deactivate app integrations"). The group → app assignments themselves stay
 * listed; individual (scope USER) assignments stay. Whether activating the app again gives the groups' members their
 * assignments back is not documented: the emulator does not (a later `PUT /api/v1/apps/{id}/groups/{groupId}` does),
 * so nothing relying on it passes here by luck.
 */
export function reconcileDeactivatedApp(org: Org, appId: string): void {
  const users = org.appUsers.get(appId);
  if (!users) return;
  for (const appUser of [...users.values()]) {
    if (appUser.direct || appUser.viaGroups.size === 0) continue;
    users.delete(appUser.id);
    const user = org.users.get(appUser.id);
    if (user) appUserEvent(org, appId, user, appUser, 'remove');
  }
}
