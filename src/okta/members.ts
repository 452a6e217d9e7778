import type { GroupMember } from '../domain/reconcile-plan';
import { pagesOf, type RawOktaClient } from './http';

interface RawUser {
  id: string;
  status?: string;
  transitioningToStatus?: string | null;
  profile?: Record<string, unknown>;
  credentials?: { provider?: { type?: string } };
}

/**
 * The group's members, a page at a time (`limit=200`, the page size the cost budget assumes). Each member arrives
 * with its full profile and status, so the reconcile needs no per-user GET.
 */
export async function* listGroupMembers(
  client: RawOktaClient,
  groupId: string,
): AsyncGenerator<GroupMember[]> {
  const first = `/api/v1/groups/${encodeURIComponent(groupId)}/users?limit=200`;
  for await (const page of pagesOf<RawUser>(client, first, `list members of group ${groupId}`)) {
    yield page.map((u) => ({
      id: u.id,
      status: u.status ?? '',
      profile: u.profile ?? {},
      ...(u.transitioningToStatus ? { transitioningToStatus: u.transitioningToStatus } : {}),
      ...(u.credentials?.provider?.type ? { profileSource: u.credentials.provider.type } : {}),
    }));
  }
}
