import { ENTITLED_STATUSES } from '../domain/desired-state';
import type { AppUser, GroupMember } from '../domain/reconcile-plan';
import type { ScopeGuardReport } from '../domain/scope-guard';
import type { Policy } from '../domain/policy';
import { AppGuardError } from '../app-guard/check';
import type { GuardDirectory } from '../app-guard/okta-port';

/*
 * Who holds the Frontline app and how (scope), as `check`, the CLI reconcile and the scheduled runs see it: the
 * group's members and the app's users, how the scope guard's report over them reads, and, in group mode, whether
 * the group itself is assigned to the app (group mode's precondition: Okta assigns members only then).
 */

export interface AssignmentListing {
  members: GroupMember[];
  appUsers: AppUser[];
}

/**
 * The members of every Frontline group (each once: a member of two groups is one member) and the app's users, every
 * page (the app's users embed the user: no per-user read). `onPage` is told the running counts after each page.
 */
export async function listAssignments(
  okta: GuardDirectory,
  input: {
    appId: string;
    groupIds: readonly string[];
    onPage?: (progress: { members: number; appUsers: number }) => void;
  },
): Promise<AssignmentListing> {
  const members: GroupMember[] = [];
  const seen = new Set<string>();
  const appUsers: AppUser[] = [];
  const progress = () => input.onPage?.({ members: members.length, appUsers: appUsers.length });
  for (const groupId of input.groupIds) {
    for await (const page of okta.listGroupMembers(groupId)) {
      for (const member of page) {
        if (seen.has(member.id)) continue;
        seen.add(member.id);
        members.push(member);
      }
      progress();
    }
  }
  for await (const page of okta.listAppUsers(input.appId)) {
    appUsers.push(...page);
    progress();
  }
  return { members, appUsers };
}

/** `would-assign`: a dry run or a report-only check found the group not assigned. */
export type GroupAssignmentAction = 'assigned' | 'already-assigned' | 'would-assign';

export interface GroupAssignmentState {
  groupId: string;
  action: GroupAssignmentAction;
}

/** What a run that may write did: `setup`, the bootstrap, `reconcile` and the scheduled runs. */
export type GroupAssignmentStep = GroupAssignmentState & { action: 'assigned' | 'already-assigned' };

/**
 * Group mode's precondition, written: assigns the group to the app unless it is (two apps-bucket calls at most).
 * Adds access for exactly the members the configured mode says should have it; never removes any. `reassign`: the
 * group is assigned again even when it is, so Okta gives its members their assignments back (see
 * `membersLackingAssignment`).
 */
export async function ensureGroupAssigned(
  okta: GuardDirectory,
  appId: string,
  groupId: string,
  reassign = false,
): Promise<GroupAssignmentStep> {
  if (!reassign && (await okta.isGroupAssignedToApp(appId, groupId)))
    return { groupId, action: 'already-assigned' };
  await okta.assignGroupToApp(appId, groupId);
  return { groupId, action: 'assigned' };
}

/**
 * Group mode: entitled members of the Frontline groups who hold no assignment of the app. Deactivating an app
 * removes its group-held assignments ("the reconciliation process removes the app assignment for the deactivated
 * app", help.okta.com "Deactivate app integrations") and Okta documents no restore when the app is activated again,
 * so after a deactivation and reactivation every member lacks it while the groups still show as assigned. Assigning
 * the groups again (a PUT, one apps-bucket call each) has Okta assign their members.
 */
export function membersLackingAssignment(listing: AssignmentListing): number {
  const holders = new Set(listing.appUsers.map((u) => u.id));
  const entitled = new Set<string>(ENTITLED_STATUSES);
  return listing.members.filter(
    (m) => entitled.has(m.status) && !m.transitioningToStatus && !holders.has(m.id),
  ).length;
}

/**
 * After a repair activated the app again, in group mode: each Frontline group still listed as assigned to the app
 * is assigned again (a PUT), so Okta gives its members back the assignments the deactivation removed, now rather
 * than at the next scheduled run. A group not assigned is left alone: assigning it is the guarded reconcile's call
 * (a wrong group id would grant Frontline to its members), and this only puts back what an admin had. One or two
 * apps-bucket calls a group. Undefined (nothing read or written) unless the repair activated the app in group mode.
 */
export async function restoreGroupAssignments(
  okta: GuardDirectory,
  appId: string,
  policy: Pick<Policy, 'assignmentMode' | 'groupIds'>,
  repair: { activated: boolean } | undefined,
): Promise<{ groupId: string; action: 'assigned-again' | 'not-assigned' }[] | undefined> {
  if (repair?.activated !== true || policy.assignmentMode !== 'group') return undefined;
  const restored: { groupId: string; action: 'assigned-again' | 'not-assigned' }[] = [];
  for (const groupId of policy.groupIds) {
    if (await okta.isGroupAssignedToApp(appId, groupId)) {
      await okta.assignGroupToApp(appId, groupId);
      restored.push({ groupId, action: 'assigned-again' });
    } else {
      restored.push({ groupId, action: 'not-assigned' });
    }
  }
  return restored;
}

/**
 * Group mode's precondition, read only: whether the group is assigned to the app (`would-assign` when not). One
 * apps-bucket call.
 */
export async function groupAssignmentState(
  okta: GuardDirectory,
  appId: string,
  groupId: string,
): Promise<GroupAssignmentState> {
  return (await okta.isGroupAssignedToApp(appId, groupId))
    ? { groupId, action: 'already-assigned' }
    : { groupId, action: 'would-assign' };
}

/**
 * Group mode's precondition for every Frontline group: assigned where missing (`write`), or only read (a dry run, a
 * report-only check, a run whose guard tripped). Throws when group mode has no group to assign.
 */
export async function groupAssignments(
  okta: GuardDirectory,
  appId: string,
  groupIds: readonly string[],
  write: boolean,
  /** Members lacking the assignment (`membersLackingAssignment`): more than none makes a write assign again. */
  lacking = 0,
): Promise<GroupAssignmentState[]> {
  if (groupIds.length === 0) {
    throw new AppGuardError(
      'FRONTLINE_ASSIGNMENT_MODE=group needs FRONTLINE_GROUP_ID (or FRONTLINE_GROUP_IDS): the groups to assign to the app',
    );
  }
  const states: GroupAssignmentState[] = [];
  for (const groupId of groupIds) {
    states.push(
      write
        ? await ensureGroupAssigned(okta, appId, groupId, lacking > 0)
        : await groupAssignmentState(okta, appId, groupId),
    );
  }
  return states;
}

/** Human lines for the scope guard and the groups' assignment (check, reconcile). */
export function describeScope(
  scope: ScopeGuardReport,
  groupAssignments: readonly GroupAssignmentState[],
): string[] {
  const lines: string[] = [];
  for (const groupAssignment of groupAssignments) {
    const verb = {
      'would-assign':
        'is not assigned to the app yet (Okta assigns members only once it is): `reconcile` assigns it',
      assigned: 'was assigned to the app',
      'already-assigned': 'is assigned to the app',
    }[groupAssignment.action];
    lines.push(`\nGroup mode: group ${groupAssignment.groupId} ${verb}.`);
  }
  if (scope.findings.length === 0) return lines;
  lines.push(
    `\nScope guard (${scope.mode} mode): ${scope.findings.length} assignment(s) contradict the mode:`,
  );
  for (const f of scope.findings)
    lines.push(`  ${f.userId} ${f.userName ?? ''} (scope ${f.scope}): ${f.remedy}`);
  return lines;
}
