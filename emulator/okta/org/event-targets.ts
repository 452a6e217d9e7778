import type { EventTarget } from '../events';
import { appAssignmentId } from '../ids';
import type { AppUserRecord, GroupRecord, Org, UserRecord } from './records';

export function displayName(user: UserRecord): string {
  return `${String(user.profile.firstName ?? '')} ${String(user.profile.lastName ?? '')}`.trim();
}

export function userTarget(user: UserRecord): EventTarget {
  return {
    id: user.id,
    type: 'User',
    alternateId: String(user.profile.login),
    displayName: displayName(user),
    detailEntry: null,
  };
}

export function groupTarget(group: GroupRecord): EventTarget {
  return {
    id: group.id,
    type: 'UserGroup',
    alternateId: 'unknown',
    displayName: group.profile.name,
    detailEntry: null,
  };
}

const APP_LEGACY: Record<string, string> = {
  create: 'app.generic.config.app_created',
  update: 'app.generic.config.app_updated',
  activate: 'app.generic.config.app_activated',
  deactivate: 'app.generic.config.app_deactivated',
  delete: 'app.generic.config.app_deleted',
};

/** `application.lifecycle.*` with the `AppInstance` target. */
export function appLifecycleEvent(
  org: Org,
  appId: string,
  op: 'create' | 'update' | 'activate' | 'deactivate' | 'delete',
): void {
  const app = org.apps.get(appId);
  const label = String(app?.json.label ?? appId);
  org.emit({
    eventType: `application.lifecycle.${op}`,
    displayMessage: `${op[0]!.toUpperCase()}${op.slice(1)} application`,
    legacyEventType: APP_LEGACY[op]!,
    targets: [
      {
        id: appId,
        type: 'AppInstance',
        alternateId: label,
        displayName: label,
        detailEntry: { signOnModeType: app?.json.signOnMode ?? null },
      },
    ],
  });
}

/** `change_username`: Okta's event type catalog, "Change user's application username" (legacy `app_username_update`). */
const APP_USER_MESSAGES = {
  add: 'Add user to application membership',
  remove: 'Remove user from application membership',
  update: 'Update user from application membership',
  change_username: "Change user's application username",
} as const;

/**
 * Okta's targets for `application.user_membership.*`: the assignment (`AppUser`, id `0ua…`, alternateId the app
 * username), the app and the user. Only the `User` target carries the Okta user id.
 */
export function appUserEvent(
  org: Org,
  appId: string,
  user: UserRecord,
  appUser: AppUserRecord,
  op: keyof typeof APP_USER_MESSAGES,
): void {
  const app = org.apps.get(appId)!;
  const label = String(app.json.label ?? appId);
  org.emit({
    eventType: `application.user_membership.${op}`,
    displayMessage: APP_USER_MESSAGES[op],
    legacyEventType:
      op === 'change_username'
        ? 'app.generic.config.app_username_update'
        : `app.generic.provision.assign_user_to_app${op === 'add' ? '' : '.' + op}`,
    targets: [
      {
        id: appAssignmentId(appId, user.id),
        type: 'AppUser',
        alternateId: appUser.userName,
        displayName: displayName(user),
        detailEntry: null,
      },
      { id: appId, type: 'AppInstance', alternateId: label, displayName: label, detailEntry: null },
      userTarget(user),
    ],
  });
}

/**
 * `group.application_assignment.add|update|remove` (event-hook eligible in Okta's catalog) when a group is assigned
 * to an app, changed, or unassigned; the members' own `application.user_membership.*` events follow.
 */
export function groupAssignmentEvent(
  org: Org,
  appId: string,
  group: GroupRecord,
  op: 'add' | 'update' | 'remove',
): void {
  const app = org.apps.get(appId)!;
  const label = String(app.json.label ?? appId);
  org.emit({
    eventType: `group.application_assignment.${op}`,
    displayMessage:
      op === 'add'
        ? 'Add assigned application to group'
        : op === 'remove'
          ? 'Remove assigned application from group'
          : 'Update assigned application in group',
    legacyEventType: `group.application_assignment.${op}`,
    targets: [
      { id: appId, type: 'AppInstance', alternateId: label, displayName: label, detailEntry: null },
      groupTarget(group),
    ],
  });
}
