import { OktaHttpError, notFound, validation } from '../errors';
import { nowIso } from '../ids';
import { deactivatedUserRefused } from './app-deactivation';
import { appUserEvent, groupAssignmentEvent } from './event-targets';
import { renderAppUserName } from './username-template';
import { findUser, groupMemberIds, requireApp, requireGroup } from './lookup';
import type { AppGroupRecord, AppUserRecord, Org, UserRecord } from './records';

/** The username Okta gives an assignment made without one: the app's template for the user; default: login. */
export function defaultUserName(org: Org, appId: string, user: UserRecord): string {
  const template = (
    org.apps.get(appId)?.json.credentials as { userNameTemplate?: { template?: string } } | undefined
  )?.userNameTemplate?.template;
  if (!template) return String(user.profile.login);
  return renderAppUserName(template, user.profile);
}

export function appUserScope(appUser: AppUserRecord): 'USER' | 'GROUP' {
  return appUser.direct ? 'USER' : 'GROUP';
}

/** Direct assignment. Returns the app user and whether it was new. */
export function assignUser(
  org: Org,
  appId: string,
  uid: string,
  userName: string | undefined,
): { appUser: AppUserRecord; created: boolean } {
  requireApp(org, appId);
  const user = findUser(org, uid);
  if (!user) throw notFound(uid, 'User');
  if (user.status === 'DEPROVISIONED') throw deactivatedUserRefused();
  const users = org.appUsers.get(appId)!;
  const name = userName ?? defaultUserName(org, appId, user);
  if (name.length > 100) throw validation(['userName: The field cannot exceed 100 characters']);
  const existing = users.get(user.id);
  if (existing) {
    const scopeChanged = !existing.direct;
    // A new username is Okta's `change_username` (legacy `app.generic.config.app_username_update`, System Log
    // event type mapping), not an `update` (`app_user_property_update`).
    const renamed = userName !== undefined && existing.userName !== userName;
    existing.direct = true;
    if (renamed) existing.userName = userName;
    if (scopeChanged || renamed) existing.lastUpdated = nowIso();
    if (scopeChanged) appUserEvent(org, appId, user, existing, 'update');
    if (renamed) appUserEvent(org, appId, user, existing, 'change_username');
    return { appUser: existing, created: false };
  }
  const appUser = newAppUser(user.id, name, { direct: true });
  users.set(user.id, appUser);
  appUserEvent(org, appId, user, appUser, 'add');
  return { appUser, created: true };
}

/**
 * POST /api/v1/apps/{appId}/users/{userId}: "Update an application user: updates the profile or credentials of a
 * user assigned to an app" (Okta Application Users API, `updateApplicationUser`). Only `credentials.userName` is
 * modelled; the scope (USER or GROUP) is kept.
 */
export function updateAppUserName(org: Org, appId: string, uid: string, userName: string): AppUserRecord {
  requireApp(org, appId);
  const user = findUser(org, uid);
  const appUser = user ? org.appUsers.get(appId)!.get(user.id) : undefined;
  if (!user || !appUser) throw notFound(uid, 'AppUser');
  if (userName.length > 100) throw validation(['userName: The field cannot exceed 100 characters']);
  if (appUser.userName !== userName) {
    appUser.userName = userName;
    appUser.lastUpdated = nowIso();
    appUserEvent(org, appId, user, appUser, 'change_username');
  }
  return appUser;
}

export function unassignUser(org: Org, appId: string, uid: string): void {
  requireApp(org, appId);
  const users = org.appUsers.get(appId)!;
  const user = findUser(org, uid);
  const appUser = user ? users.get(user.id) : undefined;
  if (!user || !appUser) throw notFound(uid, 'AppUser');
  if (appUser.viaGroups.size) {
    // Okta refuses while any group assignment grants access, even when the user is also assigned directly.
    throw new OktaHttpError(403, 'E0000046', 'Deactivate application for user forbidden.', [
      'The application cannot be unassigned from the user while their group memberships grant them access',
    ]);
  }
  users.delete(user.id);
  appUserEvent(org, appId, user, appUser, 'remove');
}

/**
 * PUT /api/v1/apps/{appId}/groups/{groupId}: assigns (or updates) a group. Every member gets a scope GROUP app user;
 * later joiners and leavers follow (Apps API "Assign an application group"). Without a priority the group goes last
 * ("the next highest priority is assigned by default"); with one, the others move down to keep priorities unique.
 */
export function assignGroup(
  org: Org,
  appId: string,
  gid: string,
  priority?: number,
  emit = true,
  profile?: Record<string, unknown>,
): AppGroupRecord {
  requireApp(org, appId);
  const group = requireGroup(org, gid);
  const groups = org.appGroups.get(appId)!;
  const existing = groups.get(gid);
  const record: AppGroupRecord = existing ?? {
    id: gid,
    priority: groups.size,
    lastUpdated: nowIso(),
    profile: {},
  };
  if (profile) record.profile = structuredClone(profile);
  groups.set(gid, record);
  if (priority !== undefined) reprioritize(groups, gid, priority);
  record.lastUpdated = nowIso();
  if (emit) groupAssignmentEvent(org, appId, group, existing ? 'update' : 'add');
  for (const uid of groupMemberIds(org, gid)) addGroupAssignment(org, appId, org.users.get(uid)!, gid, emit);
  return record;
}

function reprioritize(groups: Map<string, AppGroupRecord>, gid: string, priority: number): void {
  const others = [...groups.values()].filter((g) => g.id !== gid).sort((a, b) => a.priority - b.priority);
  const at = Math.max(0, Math.min(priority, others.length));
  others.splice(at, 0, groups.get(gid)!);
  others.forEach((g, i) => (g.priority = i));
}

export function unassignGroup(org: Org, appId: string, gid: string): void {
  requireApp(org, appId);
  const groups = org.appGroups.get(appId)!;
  if (!groups.delete(gid)) throw notFound(gid, 'ApplicationGroupAssignment');
  [...groups.values()].sort((a, b) => a.priority - b.priority).forEach((g, i) => (g.priority = i));
  const group = org.groups.get(gid);
  if (group) groupAssignmentEvent(org, appId, group, 'remove');
  for (const appUser of [...org.appUsers.get(appId)!.values()]) {
    if (appUser.viaGroups.has(gid)) removeGroupAssignment(org, appId, appUser.id, gid);
  }
}

/** The group whose assignment applies to a GROUP-held app user: the highest priority (lowest number) one. */
export function grantingGroup(org: Org, appId: string, appUser: AppUserRecord): AppGroupRecord | undefined {
  const groups = org.appGroups.get(appId);
  return [...appUser.viaGroups]
    .map((gid) => groups?.get(gid))
    .filter((g) => g !== undefined)
    .sort((a, b) => a.priority - b.priority)[0];
}

export function addGroupAssignment(
  org: Org,
  appId: string,
  user: UserRecord,
  gid: string,
  emit = true,
): void {
  // Deactivated users hold no app assignments, not even through groups; nor does an inactive app (its
  // deactivation removed the group-held ones: ./app-deactivation.ts).
  if (user.status === 'DEPROVISIONED' || org.apps.get(appId)?.json.status === 'INACTIVE') return;
  const users = org.appUsers.get(appId)!;
  const existing = users.get(user.id);
  if (existing) {
    existing.viaGroups.add(gid);
    return;
  }
  const appUser = newAppUser(user.id, defaultUserName(org, appId, user), { direct: false, viaGroup: gid });
  users.set(user.id, appUser);
  if (emit) appUserEvent(org, appId, user, appUser, 'add');
}

export function removeGroupAssignment(org: Org, appId: string, uid: string, gid: string): void {
  const users = org.appUsers.get(appId)!;
  const appUser = users.get(uid);
  if (!appUser) return;
  appUser.viaGroups.delete(gid);
  if (!appUser.direct && appUser.viaGroups.size === 0) {
    users.delete(uid);
    appUserEvent(org, appId, org.users.get(uid)!, appUser, 'remove');
  }
}

/** Deactivation revokes every app assignment (Okta help: "Deactivate and delete user accounts"). */
export function revokeAllAssignments(org: Org, user: UserRecord): void {
  for (const [appId, users] of org.appUsers) {
    const appUser = users.get(user.id);
    if (appUser && users.delete(user.id)) appUserEvent(org, appId, user, appUser, 'remove');
  }
}

/** Back from deactivation, group-based assignments return; direct ones don't. */
export function restoreGroupAssignments(org: Org, user: UserRecord): void {
  for (const [appId, groups] of org.appGroups) {
    for (const gid of groups.keys()) {
      if (org.members.get(gid)?.has(user.id) || org.groups.get(gid)?.type === 'BUILT_IN')
        addGroupAssignment(org, appId, user, gid);
    }
  }
}

/** A new app user, created now: assigned directly, or held through one group. */
function newAppUser(
  id: string,
  userName: string,
  how: { direct: boolean; viaGroup?: string },
): AppUserRecord {
  const t = nowIso();
  return {
    id,
    created: t,
    lastUpdated: t,
    statusChanged: t,
    userName,
    direct: how.direct,
    viaGroups: new Set(how.viaGroup ? [how.viaGroup] : []),
  };
}
