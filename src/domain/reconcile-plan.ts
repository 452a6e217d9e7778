import {
  DISENTITLED_STATUSES,
  ENTITLED_STATUSES,
  FRONTLINE_USER_TYPE,
  keepsWhileSuspended,
  overwrittenUserType,
  type UserNameResult,
} from './desired-state';
import type { Policy } from './policy';

/**
 * The full reconcile, as a pure function: from the group's members and the app's users (both listed in pages, so
 * the whole run costs ⌈N/200⌉ + ⌈N/500⌉ calls plus the app check), the changes that make the app match the group.
 *
 * Statuses follow the worker's table (src/domain/desired-state.ts): members with an entitled status get
 * `userType = "agent"` and a USER assignment; STAGED members wait for their activation; SUSPENDED/DEPROVISIONED
 * members lose the assignment (a SUSPENDED member keeps it under the default `keep` policy). A member read while an
 * asynchronous activation/deactivation runs (`transitioningToStatus`) is left for the next run: no removal is planned
 * from a status that is about to change.
 *
 * Profiles mastered elsewhere: a member whose listing says an external directory owns the profile
 * (`credentials.provider.type` ACTIVE_DIRECTORY or LDAP) and whose `userType` is not `agent` is reported once as
 * `mastered` ("set it there") and neither written nor assigned: Okta would answer 403 E0000023 on every run, and a
 * role-less assignment would reach Frontline with no role. Where the mastered `userType` already is `agent`, the
 * member is assigned as usual.
 *
 * Who is "ours" among assigned non-members: the pipeline marks everyone it onboards with `profile.userType =
 * "agent"` (Frontline's role), so an assigned non-member carrying that mark left the group and is unassigned; one
 * without it was assigned by hand and is only reported as unmanaged (removed when `prune` is set). When the app
 * user's profile was not listed (no `_embedded.user`), the user is treated as unmanaged: nothing is removed on a
 * guess. GROUP-scoped assignments can't be removed per user; they are reported and never touched.
 */

/** A member as the group listing returns it: status and the whole profile (no per-user GET needed). */
export interface GroupMember {
  id: string;
  status: string;
  profile: Readonly<Record<string, unknown>>;
  /** Okta's `transitioningToStatus`, when an asynchronous lifecycle operation runs. */
  transitioningToStatus?: string | undefined;
  /** `credentials.provider.type` (OKTA, ACTIVE_DIRECTORY, LDAP, FEDERATION, SOCIAL, IMPORT), when listed. */
  profileSource?: string | undefined;
}

/** Provider types whose directory masters the profile (Okta refuses profile writes with 403 E0000023). */
export const MASTERING_PROVIDERS: readonly string[] = ['ACTIVE_DIRECTORY', 'LDAP'];

export const MASTERED_PLAN_REASON = 'userType is mastered by the profile source; set it there';

export interface AppUser {
  id: string;
  scope: string;
  userName: string | undefined;
  status: string | undefined;
  /** `_embedded.user.profile.userType` when the listing carried the user; undefined when unknown. */
  userType?: string | null | undefined;
}

/** The policy, whole (prune, suspension, mode, the mass-removal bound), and what a run adds to it. */
export type ReconcileOptions = Policy & {
  /**
   * Renders the app username for a member from the pinned template (the worker's renderer). Absent when none is
   * pinned: an assignment then carries no username and Okta applies the app's own template, as for the worker's.
   */
  userNameFor?: ((member: GroupMember) => UserNameResult) | undefined;
  /** Let a run remove more than the guard allows (the operator's explicit flag). @default false */
  allowMassRemoval?: boolean;
  /** Let a run grant more than the grant guard allows (the operator's explicit flag). @default false */
  allowMassGrant?: boolean;
  /** The Okta user whose credential runs the reconcile, when it has one: a plan granting them Frontline stops. */
  selfUserId?: string | undefined;
};

export type UnassignReason = 'left-group' | 'suspended' | 'deactivated' | 'unmanaged-pruned';

export interface PlannedAssign {
  userId: string;
  /** Undefined: Okta derives it from the app's own template. */
  userName: string | undefined;
}
export interface PlannedUnassign {
  userId: string;
  userName: string | undefined;
  reason: UnassignReason;
}

export interface GuardResult {
  tripped: boolean;
  /** Removals this run would make (before the guard). */
  removals: number;
  currentAssignments: number;
  allowed: number;
  reason?: string;
}

/**
 * The mass-grant guard: how many members would gain Frontline (entitled members of the Frontline groups who hold no
 * assignment yet: an assignment in user mode, the group's in group mode), against what one run may grant.
 */
export interface GrantGuardResult {
  tripped: boolean;
  /** The members who would gain Frontline, by id. */
  grants: string[];
  members: number;
  allowed: number;
  /** The plan grants Frontline to the user whose credential runs it. */
  toSelf: boolean;
  reason?: string;
}

export interface ReconcilePlan {
  setUserType: string[];
  assign: PlannedAssign[];
  unassign: PlannedUnassign[];
  /** Assigned by hand (scope USER), never in the group: reported; in `unassign` too when pruning. */
  unmanaged: { userId: string; userName: string | undefined }[];
  /** Assigned through a group (scope GROUP): reported, never touched. */
  groupScoped: { userId: string; userName: string | undefined }[];
  /** Members whose `userType` another directory masters and is not `agent`: reported, never written. */
  mastered: { userId: string; source: string; reason: string }[];
  /** Members the plan leaves alone for now, with why (STAGED, mid-transition, unknown status, no username). */
  skipped: { userId: string; reason: string }[];
  /** The mass-removal guard. */
  guard: GuardResult;
  /** The mass-grant guard. */
  grantGuard: GrantGuardResult;
  /**
   * Members whose `userType` held another value that setting "agent" overwrites: reported, recorded before the
   * write, and put back when the role is cleared on removal (src/domain/user-type-memory.ts).
   */
  overwrites: { userId: string; previous: string }[];
  counts: { members: number; appUsers: number };
}

const entitled = (status: string) => (ENTITLED_STATUSES as readonly string[]).includes(status);
const disentitled = (status: string) => (DISENTITLED_STATUSES as readonly string[]).includes(status);

export function planReconcile(
  members: readonly GroupMember[],
  appUsers: readonly AppUser[],
  options: ReconcileOptions,
): ReconcilePlan {
  const assigned = new Map(appUsers.map((u) => [u.id, u]));
  const memberIds = new Set<string>();
  const grants: string[] = [];
  const plan: ReconcilePlan = {
    setUserType: [],
    assign: [],
    unassign: [],
    unmanaged: [],
    groupScoped: [],
    mastered: [],
    skipped: [],
    guard: { tripped: false, removals: 0, currentAssignments: appUsers.length, allowed: 0 },
    grantGuard: { tripped: false, grants: [], members: members.length, allowed: 0, toSelf: false },
    overwrites: [],
    counts: { members: members.length, appUsers: appUsers.length },
  };

  for (const member of members) {
    memberIds.add(member.id);
    const current = assigned.get(member.id);
    const source = member.profileSource ?? 'OKTA';
    if (member.transitioningToStatus) {
      plan.skipped.push({
        userId: member.id,
        reason: `${member.status}, transitioning to ${member.transitioningToStatus}: decided on the next run`,
      });
    } else if (keepsWhileSuspended(member.status, true, options.suspendedPolicy)) {
      // Okta keeps a suspended user's assignments and blocks sign-in; the `keep` policy writes nothing.
    } else if (
      entitled(member.status) &&
      member.profile.userType !== FRONTLINE_USER_TYPE &&
      MASTERING_PROVIDERS.includes(source)
    ) {
      plan.mastered.push({ userId: member.id, source, reason: MASTERED_PLAN_REASON });
    } else if (entitled(member.status)) {
      const userType = member.profile.userType;
      if (userType !== FRONTLINE_USER_TYPE) plan.setUserType.push(member.id);
      const previous = overwrittenUserType(userType);
      if (previous !== undefined) plan.overwrites.push({ userId: member.id, previous });
      if (!current) grants.push(member.id);
      if (!current) {
        const userName = options.userNameFor?.(member) ?? { ok: true, value: undefined };
        if (userName.ok) plan.assign.push({ userId: member.id, userName: userName.value });
        else plan.skipped.push({ userId: member.id, reason: userName.reason });
      }
    } else if (disentitled(member.status)) {
      if (current?.scope === 'USER') {
        plan.unassign.push({
          userId: member.id,
          userName: current.userName,
          reason: member.status === 'SUSPENDED' ? 'suspended' : 'deactivated',
        });
      } else if (current) {
        plan.groupScoped.push({ userId: member.id, userName: current.userName });
      }
    } else if (member.status === 'STAGED') {
      plan.skipped.push({ userId: member.id, reason: 'STAGED: onboarded when activated' });
    } else {
      plan.skipped.push({ userId: member.id, reason: `unknown status ${member.status}` });
    }
  }

  for (const user of appUsers) {
    if (memberIds.has(user.id)) continue;
    if (user.scope !== 'USER') {
      plan.groupScoped.push({ userId: user.id, userName: user.userName });
    } else if (user.userType === FRONTLINE_USER_TYPE) {
      plan.unassign.push({ userId: user.id, userName: user.userName, reason: 'left-group' });
    } else {
      plan.unmanaged.push({ userId: user.id, userName: user.userName });
      if (options.pruneUnmanaged)
        plan.unassign.push({ userId: user.id, userName: user.userName, reason: 'unmanaged-pruned' });
    }
  }

  if (options.assignmentMode === 'group') {
    // Group mode (src/domain/desired-state.ts): Okta assigns members and unassigns leavers through the group; the
    // only per-user removals left are individual assignments of users outside the group (the scope trap).
    plan.assign = [];
    plan.unassign = plan.unassign.filter((u) => !memberIds.has(u.userId));
  }
  // A tripped guard means something upstream is likely wrong (wrong group id, a bulk mistake): the plan keeps every
  // change so it can be read, and nothing applies or enqueues a plan whose guard tripped.
  plan.guard = massRemovalGuard(plan.unassign.length, appUsers.length, options);
  plan.grantGuard = massGrantGuard(grants, members.length, options);
  return plan;
}

/**
 * Stops a plan that grants Frontline to more than `maxGrantShare` of the groups' members (at least
 * `minGrantAllowance` are always allowed), or to the user running it, unless the operator allows it. A wrong group
 * id (Everyone) or app id would otherwise hand the app to the whole org with no flag; the first backfill after
 * install trips it by design and is confirmed once.
 */
export function massGrantGuard(
  grants: readonly string[],
  members: number,
  options: Pick<ReconcileOptions, 'allowMassGrant' | 'maxGrantShare' | 'minGrantAllowance' | 'selfUserId'>,
): GrantGuardResult {
  const allowed = Math.max(options.minGrantAllowance, Math.floor(options.maxGrantShare * members));
  const toSelf = options.selfUserId !== undefined && grants.includes(options.selfUserId);
  const result: GrantGuardResult = { tripped: false, grants: [...grants], members, allowed, toSelf };
  if ((grants.length > allowed || toSelf) && !options.allowMassGrant) {
    result.tripped = true;
    result.reason =
      (toSelf
        ? `mass-grant guard: this run would grant Frontline to the user running it (${options.selfUserId})`
        : `mass-grant guard: this run would grant Frontline to ${grants.length} of ${members} members, more than ` +
          `the ${allowed} allowed (${Math.round(options.maxGrantShare * 100)}% of the members, at least ` +
          `${options.minGrantAllowance})`) +
      '; nothing was changed. Check the group and app ids (a dry run lists whom), then rerun with ' +
      '--allow-mass-grant if it is intended (the first backfill after install is).';
  }
  return result;
}

/** True when a guard stopped the plan: nothing of it may be written anywhere. */
export function planStopped(plan: Pick<ReconcilePlan, 'guard' | 'grantGuard'>): boolean {
  return plan.guard.tripped || plan.grantGuard.tripped;
}

/** Why the plan was stopped, one sentence per guard that tripped. */
export function stopReasons(plan: Pick<ReconcilePlan, 'guard' | 'grantGuard'>): string[] {
  return [plan.guard, plan.grantGuard].filter((g) => g.tripped && g.reason).map((g) => g.reason as string);
}

export function massRemovalGuard(
  removals: number,
  currentAssignments: number,
  options: Pick<ReconcileOptions, 'allowMassRemoval' | 'maxRemovalShare' | 'minRemovalAllowance'>,
): GuardResult {
  const share = options.maxRemovalShare;
  const floor = options.minRemovalAllowance;
  const allowed = Math.max(floor, Math.floor(share * currentAssignments));
  const result: GuardResult = { tripped: false, removals, currentAssignments, allowed };
  if (removals > allowed && !options.allowMassRemoval) {
    result.tripped = true;
    result.reason =
      `mass-removal guard: this run would unassign ${removals} of ${currentAssignments} users, ` +
      `more than the ${allowed} allowed (${Math.round(share * 100)}% of current assignments, at least ${floor}); ` +
      'nothing was changed. Check the group and app ids, then rerun with --allow-mass-removal if it is intended.';
  }
  return result;
}

/** Users the plan writes to, each once (a user may need a role and an assignment). */
export function plannedUserIds(plan: ReconcilePlan): string[] {
  return [
    ...new Set([
      ...plan.setUserType,
      ...plan.assign.map((a) => a.userId),
      ...plan.unassign.map((u) => u.userId),
    ]),
  ];
}

export function planChangeCount(plan: ReconcilePlan): number {
  return plan.setUserType.length + plan.assign.length + plan.unassign.length;
}
