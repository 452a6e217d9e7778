import { ENTITLED_STATUSES, type AssignmentMode } from './desired-state';
import type { AppUser, GroupMember } from './reconcile-plan';

/*
 * The scope guard: app assignments whose scope contradicts the assignment mode, found from the reconcile's listing
 * of the app's users (each carries Okta's `scope`). Pure.
 *
 * - User mode, GROUP scope held by someone who should not have the app (not an entitled member): Okta refuses to
 *   remove a group-held assignment per user (403 E0000046), so only the admin can end it, by removing that group's
 *   assignment to the app (Admin Console: Applications > the app > Assignments > Groups).
 * - Group mode, USER scope held by a member: an individual assignment outlives the membership (the member keeps
 *   the app after leaving the group). Okta documents no API call that converts a USER-scope assignment to GROUP
 *   scope (the emulator models the same, emulator/README.md), so this is reported, not fixed: with the group
 *   assigned to the app, the admin removes the user from the group, unassigns the individual assignment, then adds
 *   the user back (Okta then assigns them with scope GROUP).
 */

export interface ScopeFinding {
  userId: string;
  userName: string | undefined;
  scope: 'USER' | 'GROUP';
  /** What ends the contradiction, for the operator. */
  remedy: string;
}

export interface ScopeGuardReport {
  mode: AssignmentMode;
  findings: ScopeFinding[];
}

const USER_MODE_REMEDY =
  'held through a group assignment (scope GROUP), which Okta will not remove per user (E0000046): in the Admin ' +
  'Console remove that group from the app (Applications > the app > Assignments), or remove the user from the group';
const GROUP_MODE_REMEDY =
  'individual assignment (scope USER) that would keep the app after the user leaves the group; Okta has no API to ' +
  'convert it: with the group assigned to the app, remove the user from the group, unassign them from the app, ' +
  'then add them back to the group (Okta then assigns them with scope GROUP)';

export function scopeGuard(
  mode: AssignmentMode,
  members: readonly GroupMember[],
  appUsers: readonly AppUser[],
): ScopeGuardReport {
  const entitled = new Set(
    members.filter((m) => (ENTITLED_STATUSES as readonly string[]).includes(m.status)).map((m) => m.id),
  );
  const memberIds = new Set(members.map((m) => m.id));
  const findings: ScopeFinding[] = [];
  for (const u of appUsers) {
    if (mode === 'user' && u.scope === 'GROUP' && !entitled.has(u.id)) {
      findings.push({ userId: u.id, userName: u.userName, scope: 'GROUP', remedy: USER_MODE_REMEDY });
    } else if (mode === 'group' && u.scope === 'USER' && memberIds.has(u.id)) {
      findings.push({ userId: u.id, userName: u.userName, scope: 'USER', remedy: GROUP_MODE_REMEDY });
    }
  }
  return { mode, findings };
}
