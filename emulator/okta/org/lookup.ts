import { notFound } from '../errors';
import { requestContext } from '../events';
import type { AppRecord, GroupRecord, Org, UserRecord } from './records';

/** By id or login (case-insensitive), as Okta resolves `{id}` in user paths. */
export function findUser(org: Org, idOrLogin: string): UserRecord | undefined {
  // `me` is "the current user linked to an API token or session cookie" (Users API getUser,
  // developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/getUser): the admin
  // the SSWS token belongs to. A service app's token is "not associated with an Okta user"
  // (developer.okta.com/docs/guides/set-up-oauth-api/main/), so there `me` names no one and the lookup fails as for
  // any unknown id (404 E0000007). Okta does not document its answer for this case: the not-found is our pick.
  if (idOrLogin === 'me')
    return requestContext.getStore()?.actor.type === 'PublicClientApp'
      ? undefined
      : org.users.get(org.adminId);
  const byId = org.users.get(idOrLogin);
  if (byId) return byId;
  const wanted = idOrLogin.toLowerCase();
  for (const u of org.users.values()) if (String(u.profile.login).toLowerCase() === wanted) return u;
  return undefined;
}

export function requireUser(org: Org, idOrLogin: string): UserRecord {
  const u = findUser(org, idOrLogin);
  if (!u) throw notFound(idOrLogin, 'User');
  return u;
}

export function requireGroup(org: Org, gid: string): GroupRecord {
  const g = org.groups.get(gid);
  if (!g) throw notFound(gid, 'UserGroup');
  return g;
}

export function requireApp(org: Org, appId: string): AppRecord {
  const a = org.apps.get(appId);
  if (!a) throw notFound(appId, 'AppInstance');
  return a;
}

/** Members in id order (Okta's cursor order); BUILT_IN "Everyone" holds every user. */
export function groupMemberIds(org: Org, gid: string): string[] {
  const g = requireGroup(org, gid);
  const ids = g.type === 'BUILT_IN' ? [...org.users.keys()] : [...(org.members.get(gid) ?? [])];
  return ids.sort();
}

/** Whether the user is in the group (everyone is in BUILT_IN "Everyone"). */
export function isMember(org: Org, gid: string, uid: string): boolean {
  return org.groups.get(gid)?.type === 'BUILT_IN' || (org.members.get(gid)?.has(uid) ?? false);
}
