import { OktaHttpError, validation } from '../errors';
import { newId, nowIso } from '../ids';
import { addGroupAssignment, removeGroupAssignment } from './assignments';
import { groupTarget, userTarget } from './event-targets';
import { requireGroup, requireUser } from './lookup';
import type { GroupRecord, Org } from './records';

export function createGroup(org: Org, profile: { name?: unknown; description?: unknown }): GroupRecord {
  if (typeof profile.name !== 'string' || profile.name.trim() === '')
    throw validation(['name: The field cannot be left blank']);
  if ([...org.groups.values()].some((g) => g.type === 'OKTA_GROUP' && g.profile.name === profile.name))
    throw validation(['name: An object with this field already exists in the current organization']);
  const t = nowIso();
  const group: GroupRecord = {
    id: newId('00g'),
    created: t,
    lastUpdated: t,
    lastMembershipUpdated: t,
    type: 'OKTA_GROUP',
    profile: {
      name: profile.name,
      description: typeof profile.description === 'string' ? profile.description : null,
    },
  };
  org.groups.set(group.id, group);
  org.members.set(group.id, new Set());
  org.emit({
    eventType: 'group.lifecycle.create',
    displayMessage: 'Create Okta group',
    legacyEventType: 'core.user_group.created',
    targets: [groupTarget(group)],
  });
  return group;
}

function requireOktaGroup(org: Org, gid: string): GroupRecord {
  const group = requireGroup(org, gid);
  if (group.type !== 'OKTA_GROUP')
    throw new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action', [
      'Group memberships of app groups are managed by the source application',
    ]);
  return group;
}

/** A joiner also gets every app the group is assigned to (scope GROUP). */
export function addMember(org: Org, gid: string, uid: string): void {
  const group = requireOktaGroup(org, gid);
  const user = requireUser(org, uid);
  const set = org.members.get(gid)!;
  if (set.has(user.id)) return;
  set.add(user.id);
  group.lastMembershipUpdated = nowIso();
  org.emit({
    eventType: 'group.user_membership.add',
    displayMessage: 'Add user to group membership',
    legacyEventType: 'core.user_group_member.user_add',
    targets: [userTarget(user), groupTarget(group)],
  });
  for (const [appId, groups] of org.appGroups) {
    if (groups.has(gid)) addGroupAssignment(org, appId, user, gid);
  }
}

/** A leaver loses what only this group granted. */
export function removeMember(org: Org, gid: string, uid: string): void {
  const group = requireOktaGroup(org, gid);
  const user = requireUser(org, uid);
  const set = org.members.get(gid)!;
  if (!set.delete(user.id)) return;
  group.lastMembershipUpdated = nowIso();
  org.emit({
    eventType: 'group.user_membership.remove',
    displayMessage: 'Remove user from group membership',
    legacyEventType: 'core.user_group_member.user_remove',
    targets: [userTarget(user), groupTarget(group)],
  });
  for (const [appId, groups] of org.appGroups) {
    if (groups.has(gid)) removeGroupAssignment(org, appId, user.id, gid);
  }
}

export function listUserGroups(org: Org, idOrLogin: string): GroupRecord[] {
  const user = requireUser(org, idOrLogin);
  return [...org.groups.values()].filter((g) => g.type === 'BUILT_IN' || org.members.get(g.id)?.has(user.id));
}
