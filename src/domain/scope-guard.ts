import { ENTITLED_STATUSES, keepsWhileSuspended } from './desired-state';
import type { AssignmentMode, Policy } from './policy';
import type { AppUser, GroupMember } from './reconcile-plan';

/*
 * The scope guard: app assignments whose scope contradicts the assignment mode, found from the reconcile's listing
 * of the app's users (each carries Okta's `scope`). Pure.
 *
 * What Okta's API can and cannot do here (checked against Okta's docs, not guessed):
 * - A GROUP-scope assignment can't be removed per user: `DELETE /api/v1/apps/{appId}/users/{userId}` answers 403
 *   E0000046 while a group membership grants the app (Application Users API).
 * - No documented call converts a scope. `POST /api/v1/apps/{appId}/users/{userId}` ("Update an application
 *   user") takes an app user's `profile` or `credentials` only (AppUserUpdateRequest in Okta's management OpenAPI
 *   spec); the Admin Console is where a scope is converted: "Convert an individual assignment to a group
 *   assignment" (help.okta.com, Provisioning > lcm-convert-user-group) and, the other way, the user assignment's
 *   "Assignment Source: Administrator (overrides group)" (Okta support, "How to convert an existing user's app
 *   assignment from group-owned to individually-owned type").
 * So every finding is reported with the exact Admin Console steps; nothing here is written by the tool.
 */

export type ScopeFindingKind =
  /** Held through a group assignment by someone who should not have the app (any mode). */
  | 'group-held-not-entitled'
  /**
   * Group mode: an individual assignment of a member, which Okta keeps after they leave the group (the worker then
   * removes it, src/domain/desired-state.ts "Group mode").
   */
  | 'individual-outlives-membership';

export interface ScopeFinding {
  userId: string;
  userName: string | undefined;
  scope: 'USER' | 'GROUP';
  kind: ScopeFindingKind;
  /** What ends the contradiction, for the operator. */
  remedy: string;
}

export interface ScopeGuardReport {
  mode: AssignmentMode;
  findings: ScopeFinding[];
}

/** Exact Admin Console steps, exported so documentation and tests quote the one text. */
export const SCOPE_REMEDIES: Record<ScopeFindingKind, string> = {
  'group-held-not-entitled':
    'held through a group assignment (scope GROUP) that Okta will not remove per user (403 E0000046). In the ' +
    'Admin Console (Applications > the app > Assignments > Groups lists the groups that grant it): remove the ' +
    'user from that group, or that group from the app. To keep the group but end this one assignment, open it ' +
    'under Assignments > People and set Assignment Source to "Administrator (overrides group)": it becomes ' +
    'individual, and the next reconcile unassigns it (one this tool never managed only with --prune)',
  'individual-outlives-membership':
    'individual assignment (scope USER), redundant with the group’s, that Okta keeps after the user leaves the ' +
    'group (this tool then unassigns it: an apps-bucket call group mode exists to avoid). Okta has no API call ' +
    'that converts it; in the Admin Console: Applications > the app > Assignments > Filters: People > Convert ' +
    'Assignments, select the user, Convert Selected (the assignment becomes group-managed, with no moment ' +
    'without access)',
};

/** `members`: of every Frontline group, each once (the reconcile's listing). */
export function scopeGuard(
  policy: Pick<Policy, 'assignmentMode' | 'suspendedPolicy'>,
  members: readonly GroupMember[],
  appUsers: readonly AppUser[],
): ScopeGuardReport {
  const mode = policy.assignmentMode;
  const memberIds = new Set(members.map((m) => m.id));
  // Who may hold the app: in group mode every member does by Okta's own assignment (a suspended one included:
  // Okta keeps the group's assignment and blocks the sign-in); in user mode the entitled members, and suspended
  // ones under `keep`.
  const mayHold = new Set(
    mode === 'group'
      ? memberIds
      : members
          .filter(
            (m) =>
              (ENTITLED_STATUSES as readonly string[]).includes(m.status) ||
              keepsWhileSuspended(m.status, true, policy.suspendedPolicy),
          )
          .map((m) => m.id),
  );
  const findings: ScopeFinding[] = [];
  const add = (u: AppUser, scope: ScopeFinding['scope'], kind: ScopeFindingKind): void => {
    findings.push({ userId: u.id, userName: u.userName, scope, kind, remedy: SCOPE_REMEDIES[kind] });
  };
  for (const u of appUsers) {
    if (u.scope === 'GROUP' && !mayHold.has(u.id)) add(u, 'GROUP', 'group-held-not-entitled');
    else if (mode === 'group' && u.scope === 'USER' && memberIds.has(u.id))
      add(u, 'USER', 'individual-outlives-membership');
  }
  return { mode, findings };
}
