import { OktaHttpError, masteredElsewhere, validation } from '../errors';
import { newId, nowIso } from '../ids';
import type { SeedUser, UserStatus } from '../types';
import { userTarget } from './event-targets';
import { findUser, requireGroup, requireUser } from './lookup';
import { addMember } from './memberships';
import { pushAppUserNames } from './username-push';
import type { Org, UserRecord } from './records';

const REQUIRED_PROFILE = ['login', 'email', 'firstName', 'lastName'] as const;

function blankRequired(profile: Record<string, unknown>): string[] {
  return REQUIRED_PROFILE.filter((k) => typeof profile[k] !== 'string' || profile[k] === '').map(
    (k) => `${k}: The field cannot be left blank`,
  );
}

/** POST /api/v1/users: STAGED, or with `activate` PROVISIONED (ACTIVE when a password is set). */
export function createUser(
  org: Org,
  profile: Record<string, unknown>,
  opts: { activate: boolean; hasPassword: boolean; groupIds: string[] },
): UserRecord {
  const causes = blankRequired(profile);
  if (causes.length) throw validation(causes);
  if (findUser(org, String(profile.login)))
    throw validation(['login: An object with this field already exists in the current organization']);
  for (const gid of opts.groupIds) requireGroup(org, gid);
  const t = nowIso();
  const status: UserStatus = !opts.activate ? 'STAGED' : opts.hasPassword ? 'ACTIVE' : 'PROVISIONED';
  const user: UserRecord = {
    id: newId('00u'),
    status,
    created: t,
    activated: opts.activate ? t : null,
    statusChanged: opts.activate ? t : null,
    lastLogin: null,
    lastUpdated: t,
    passwordChanged: opts.hasPassword ? t : null,
    profile: structuredClone(profile),
  };
  org.users.set(user.id, user);
  org.emit({
    eventType: 'user.lifecycle.create',
    displayMessage: 'Create Okta user',
    legacyEventType: 'core.user.config.user_creation.success',
    targets: [userTarget(user)],
  });
  if (opts.activate) {
    org.emit({
      eventType: 'user.lifecycle.activate',
      displayMessage: 'Activate Okta user',
      legacyEventType: 'core.user.config.user_activated',
      targets: [userTarget(user)],
    });
  }
  for (const gid of opts.groupIds) {
    if (org.groups.get(gid)?.type === 'OKTA_GROUP') addMember(org, gid, user.id);
  }
  return user;
}

/** POST semantics (`replace` false): merges the given attributes into the profile; null removes a value. */
export function updateProfile(
  org: Org,
  idOrLogin: string,
  patch: Record<string, unknown>,
  replace: boolean,
): UserRecord {
  const user = requireUser(org, idOrLogin);
  if (user.masteredBy) throw masteredElsewhere(user.masteredBy);
  // Users API `updateUser`: a DEPROVISIONED user's profile can't be updated unless the org enables "Edit
  // Deactivated User Profile Updates" (Okta KB "Update Deactivated User Profiles"); Okta answers 403 E0000038.
  if (user.status === 'DEPROVISIONED' && !org.settings.allowDeactivatedProfileUpdates)
    throw new OktaHttpError(403, 'E0000038', "This operation is not allowed in the user's current status.");
  const next = replace ? { ...patch } : { ...user.profile, ...patch };
  const causes = blankRequired(next);
  if (causes.length) throw validation(causes);
  const clash = findUser(org, String(next.login));
  if (clash && clash.id !== user.id)
    throw validation(['login: An object with this field already exists in the current organization']);
  for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
  const changed = [...new Set([...Object.keys(next), ...Object.keys(user.profile)])].filter(
    (k) => JSON.stringify(next[k] ?? null) !== JSON.stringify(user.profile[k] ?? null),
  );
  user.profile = next;
  user.lastUpdated = nowIso();
  if (changed.length) {
    org.emit({
      eventType: 'user.account.update_profile',
      displayMessage: 'Update user profile for Okta',
      legacyEventType: 'core.user.config.profile_update.success',
      targets: [userTarget(user)],
      debugData: { changedAttributes: changed.join(',') },
    });
    pushAppUserNames(org, user, changed);
  }
  return user;
}

/** Deletes a DEPROVISIONED user with their memberships and app assignments. */
export function deleteUser(org: Org, uid: string): void {
  const user = requireUser(org, uid);
  for (const set of org.members.values()) set.delete(user.id);
  for (const users of org.appUsers.values()) users.delete(user.id);
  org.users.delete(user.id);
  org.emit({
    eventType: 'user.lifecycle.delete.initiated',
    displayMessage: 'Delete Okta user',
    legacyEventType: 'core.user.config.user_deleted',
    targets: [userTarget(user)],
  });
}

export function userFromSeed(u: SeedUser): UserRecord {
  const created = u.created ?? '2024-01-15T09:00:00.000Z';
  const status = u.status ?? 'ACTIVE';
  const wasActivated = status !== 'STAGED';
  return {
    id: u.id,
    status,
    created,
    activated: wasActivated ? created : null,
    statusChanged: wasActivated ? created : null,
    lastLogin: null,
    lastUpdated: created,
    passwordChanged: status === 'STAGED' || status === 'PROVISIONED' ? null : created,
    profile: structuredClone(u.profile),
    ...(u.masteredBy ? { masteredBy: u.masteredBy } : {}),
  };
}
