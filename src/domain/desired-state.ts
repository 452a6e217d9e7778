import { isLeftGroupTrigger, isRemovalTrigger } from './hook-events';

/**
 * What a user's Frontline access should be, and the fewest Okta writes that get it there. Pure: no I/O, no clock.
 *
 * Status table (quoted by the README):
 *
 * | Okta status                                                   | in the group | desired                                  |
 * |---------------------------------------------------------------|--------------|------------------------------------------|
 * | ACTIVE, PROVISIONED, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT   | yes          | `userType = "agent"` and assigned (USER) |
 * | ACTIVE, PROVISIONED, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT   | no           | unassigned                               |
 * | STAGED                                                        | yes          | nothing yet: the activation event onboards |
 * | STAGED                                                        | no           | unassigned                               |
 * | SUSPENDED, with `suspendedPolicy: remove` (the default)       | yes          | unassigned                               |
 * | SUSPENDED, with `suspendedPolicy: keep`                       | yes          | kept as is: no write (see "Suspension")  |
 * | SUSPENDED                                                     | no           | unassigned                               |
 * | DEPROVISIONED                                                 | either       | unassigned                               |
 * | any status while `transitioningToStatus` is set               | either       | retry shortly: not a final read          |
 * | missing (GET answers 404)                                     | —            | nothing to do: Okta drops a deleted user's assignments |
 * | any other status                                              | either       | skipped, reported (a status Okta added later) |
 *
 * Suspension: Okta keeps a suspended user's group and app assignments and blocks their sign-in (Users API
 * `suspendUser`: "their group and app assignments are retained"). Okta blocking new sign-ins does not end a
 * Frontline session the agent already holds, and the product promises that suspension takes access away in Okta and
 * in Frontline, so by default (`remove`) a suspension unassigns, like leaving the group, at the price of two
 * apps-bucket calls per suspend/unsuspend cycle. Orgs that suspend often and accept live sessions running on set
 * `suspendedPolicy: keep` (FRONTLINE_SUSPENDED_POLICY=keep): no write on suspend or unsuspend.
 *
 * Unassigning keeps `profile.userType` unless `clearUserTypeOnRemoval` is set. LOCKED_OUT and PASSWORD_EXPIRED stay
 * entitled: they are temporary sign-in states, and removing access would make the user's next login fail in
 * Frontline after they unlock.
 *
 * Budget: Okta's `/api/v1/apps*` bucket (assign, unassign) is the bottleneck, so a convergence makes at most one call
 * in it, and none when nothing calls for it. The assignment is learnt from `GET /api/v1/users/{id}/appLinks` (users
 * bucket), which Okta documents as listing the apps a user is assigned directly or through a group. A link's
 * absence is not proof (links of hidden or inactive apps, or of deactivated users, may be left out), so:
 *
 * | desired    | observed assignment                    | action                                              |
 * |------------|----------------------------------------|-----------------------------------------------------|
 * | assigned   | assigned, assigned-user, assigned-group | none                                               |
 * | assigned   | not-assigned, unknown                  | assign (a repeat POST answers 200: safe if it was)   |
 * | unassigned | assigned, assigned-user                | unassign (404 E0000007 = already gone = success)     |
 * | unassigned | assigned-group                         | skipped: a GROUP-scoped assignment can't be removed per user |
 * | unassigned | not-assigned                           | none                                                |
 * | unassigned | unknown                                | unassign only if a trigger is a removal-type event, else none |
 *
 * Unmanaged assignments: a user with an entitled status who is not in the group, is assigned, and does not carry
 * `userType = "agent"` was most likely assigned by hand, not onboarded by this tool. Such an assignment is left in
 * place (skipped as `unmanaged-assignment`, which the reconcile also reports) unless `pruneUnmanaged` is set or the
 * trigger says the user left the group. The reconcile plan applies the same rule, so both paths agree.
 *
 * Group mode (`assignmentMode: group`): the Frontline group itself is assigned to the app, so Okta gives each member
 * a GROUP-scope app user and removes it when they leave. The decision then writes `userType` only and never assigns
 * one user: a member's only action is `set-user-type`; a leaver whose access Okta removed (no app link left) needs
 * none (or `clear-user-type`), so the usual join and leave cost no `/api/v1/apps*` call. One exception, the scope
 * trap: a leaver who still holds the app (an individual, USER-scope assignment Okta keeps after the membership
 * ends) is unassigned as in user mode, because leaving the group must take access away and the API allows exactly
 * this removal; a GROUP-scope hold through another group is skipped as in user mode (Okta refuses, E0000046). A
 * member (suspended or deactivated included) is never unassigned: Okta keeps the group's assignment on suspension
 * (and blocks the sign-in) and deprovisions the apps on deactivation, so `suspendedPolicy: remove` cannot take the
 * app away per user in this mode.
 */

/** Statuses whose holders, when in the group, should have Frontline. */
export const ENTITLED_STATUSES = [
  'ACTIVE',
  'PROVISIONED',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
] as const;
/** Statuses that must not keep Frontline. */
export const DISENTITLED_STATUSES = ['SUSPENDED', 'DEPROVISIONED'] as const;

/** What a suspension does to Frontline access (see "Suspension" above). */
export const SUSPENDED_POLICIES = ['keep', 'remove'] as const;
export type SuspendedPolicy = (typeof SUSPENDED_POLICIES)[number];
export const DEFAULT_SUSPENDED_POLICY: SuspendedPolicy = 'remove';

/** True when a suspended member keeps what they have (no write either way). */
export function keepsWhileSuspended(status: string, inGroup: boolean, policy: SuspendedPolicy): boolean {
  return status === 'SUSPENDED' && inGroup && policy === 'keep';
}

/**
 * How members get the app: `user` (default) assigns and unassigns each member (one `/api/v1/apps*` call each);
 * `group` has the Frontline group itself assigned to the app, so Okta assigns joiners and unassigns leavers and this
 * tool only writes `userType` (users bucket). See "Group mode" above.
 */
export const ASSIGNMENT_MODES = ['user', 'group'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];
export const DEFAULT_ASSIGNMENT_MODE: AssignmentMode = 'user';

export const FRONTLINE_USER_TYPE = 'agent';

/**
 * What we know of the user's assignment to the Frontline app:
 * - `assigned`: listed in the user's appLinks (scope unknown);
 * - `assigned-user` / `assigned-group`: known with its scope (e.g. from the app's user list);
 * - `not-assigned`: known absent (authoritative source);
 * - `unknown`: not listed in appLinks (not proof of absence), or not looked up.
 */
export type ObservedAssignment = 'assigned' | 'assigned-user' | 'assigned-group' | 'not-assigned' | 'unknown';

export interface ObservedUser {
  /** Okta's `status`, or `missing` when the user GET answered 404. */
  status: string;
  /** `profile.userType` as read (null/undefined when unset). */
  userType: string | null | undefined;
  inGroup: boolean;
  assignment: ObservedAssignment;
  /**
   * Okta's `transitioningToStatus`: an asynchronous activation or deactivation is under way (Users API
   * `activateUser`/`deactivateUser`), so `status` is about to change and is no basis for a decision.
   */
  transitioningTo?: string | undefined;
}

/** The app username rendered from the template, or why it could not be. */
export type UserNameResult = { ok: true; value: string } | { ok: false; reason: string };

export interface DecideOptions {
  clearUserTypeOnRemoval: boolean;
  /**
   * The app username rendered from the pinned template (FRONTLINE_USERNAME_TEMPLATE); undefined when none is pinned,
   * so the assignment carries no username and Okta applies the app's own `credentials.userNameTemplate`.
   */
  userName: UserNameResult | undefined;
  /** Also remove assignments this tool did not make (see "Unmanaged assignments"). @default false */
  pruneUnmanaged?: boolean;
  /** What a suspension does to a member's access. @default 'remove' */
  suspendedPolicy?: SuspendedPolicy;
  /** Who assigns the app: this tool per user, or Okta through the group (see "Group mode"). @default 'user' */
  assignmentMode?: AssignmentMode;
}

export type Action =
  | { type: 'set-user-type'; userType: typeof FRONTLINE_USER_TYPE }
  /** `userName` absent: Okta gives the username the app's own template yields (the app's username is the admin's). */
  | { type: 'assign'; userName?: string }
  | { type: 'unassign' }
  | { type: 'clear-user-type' };

export type ActionType = Action['type'];

export type SkipCode =
  | 'user-not-found'
  | 'staged-awaiting-activation'
  | 'unknown-status'
  | 'username-unavailable'
  | 'group-scoped-assignment'
  | 'unmanaged-assignment';

export type Decision =
  /** `kept`: a suspended member under the `keep` policy: whatever they have stays, nothing is written. */
  | { kind: 'apply'; desired: 'assigned' | 'unassigned' | 'kept'; actions: Action[] }
  | { kind: 'skip'; code: SkipCode; reason: string }
  /** The read is mid-transition: read again shortly, decide nothing now. */
  | { kind: 'retry'; reason: string };

/** The actions that spend a call in Okta's `/api/v1/apps*` bucket. */
export const APPS_BUCKET_ACTIONS: readonly ActionType[] = ['assign', 'unassign'];

function isEntitledStatus(status: string): boolean {
  return (ENTITLED_STATUSES as readonly string[]).includes(status);
}

function isDisentitledStatus(status: string): boolean {
  return (DISENTITLED_STATUSES as readonly string[]).includes(status);
}

/**
 * Decides the desired state and the minimal, ordered action list. Order matters: the role is written before the
 * assignment (an assigned user without `userType` would reach Frontline with no role), and access is removed before
 * the role is cleared (removing access is what must not wait).
 */
export function decide(
  observed: ObservedUser,
  triggerEventTypes: readonly string[],
  options: DecideOptions,
): Decision {
  const { status } = observed;
  if (status === 'missing') {
    return {
      kind: 'skip',
      code: 'user-not-found',
      reason: 'user not found in Okta (deleted); Okta removes a deleted user’s app assignments itself',
    };
  }
  if (observed.transitioningTo) {
    return {
      kind: 'retry',
      reason: `user is ${status} and transitioning to ${observed.transitioningTo}; read again once it completes`,
    };
  }
  const entitled = isEntitledStatus(status);
  if (!entitled && !isDisentitledStatus(status) && status !== 'STAGED') {
    return {
      kind: 'skip',
      code: 'unknown-status',
      reason: `user status ${status} is not one this tool knows`,
    };
  }
  if (keepsWhileSuspended(status, observed.inGroup, options.suspendedPolicy ?? DEFAULT_SUSPENDED_POLICY)) {
    return { kind: 'apply', desired: 'kept', actions: [] };
  }
  if (status === 'STAGED' && observed.inGroup) {
    return {
      kind: 'skip',
      code: 'staged-awaiting-activation',
      reason: 'user is STAGED; the user.lifecycle.activate event will onboard them',
    };
  }

  const groupMode = (options.assignmentMode ?? DEFAULT_ASSIGNMENT_MODE) === 'group';
  if (entitled && observed.inGroup) {
    return groupMode ? decideGroupMember(observed) : decideAssigned(observed, options);
  }
  if (groupMode) {
    return observed.inGroup
      ? decideGroupLeaver(observed, options)
      : decideGroupNonMember(observed, triggerEventTypes, options);
  }
  return decideUnassigned(observed, triggerEventTypes, options);
}

/** Group mode, a member: Okta assigns the app through the group; only the role is ours to write. */
function decideGroupMember(observed: ObservedUser): Decision {
  const actions: Action[] =
    observed.userType === FRONTLINE_USER_TYPE
      ? []
      : [{ type: 'set-user-type', userType: FRONTLINE_USER_TYPE }];
  return { kind: 'apply', desired: 'assigned', actions };
}

/** Group mode, a member no longer entitled (suspended, deactivated): Okta decides their access, not us. */
function decideGroupLeaver(observed: ObservedUser, options: DecideOptions): Decision {
  const actions: Action[] =
    options.clearUserTypeOnRemoval && observed.userType === FRONTLINE_USER_TYPE
      ? [{ type: 'clear-user-type' }]
      : [];
  return { kind: 'apply', desired: 'unassigned', actions };
}

/**
 * Group mode, not in the group: Okta removed the group's assignment, so an app link still there is the scope trap
 * (an individual assignment, or another group's) and is decided as in user mode. With no link, only the reconcile,
 * which read the scope from the app's user list, asks for an unassign (`reconcile.unassign`); a hook's removal
 * event alone costs no apps-bucket call.
 */
function decideGroupNonMember(
  observed: ObservedUser,
  triggerEventTypes: readonly string[],
  options: DecideOptions,
): Decision {
  const reconcileSawIt = triggerEventTypes.includes('reconcile.unassign');
  if (observed.assignment === 'unknown' && !reconcileSawIt) {
    return decideUnassigned({ ...observed, assignment: 'not-assigned' }, triggerEventTypes, options);
  }
  return decideUnassigned(observed, triggerEventTypes, options);
}

function decideAssigned(observed: ObservedUser, options: DecideOptions): Decision {
  const actions: Action[] = [];
  if (observed.userType !== FRONTLINE_USER_TYPE) {
    actions.push({ type: 'set-user-type', userType: FRONTLINE_USER_TYPE });
  }
  if (observed.assignment === 'not-assigned' || observed.assignment === 'unknown') {
    if (options.userName === undefined) {
      actions.push({ type: 'assign' });
    } else if (!options.userName.ok) {
      return { kind: 'skip', code: 'username-unavailable', reason: options.userName.reason };
    } else {
      actions.push({ type: 'assign', userName: options.userName.value });
    }
  }
  return { kind: 'apply', desired: 'assigned', actions };
}

function decideUnassigned(
  observed: ObservedUser,
  triggerEventTypes: readonly string[],
  options: DecideOptions,
): Decision {
  if (observed.assignment === 'assigned-group') {
    return {
      kind: 'skip',
      code: 'group-scoped-assignment',
      reason:
        'user is assigned to the app through a group (scope GROUP), which cannot be removed per user; ' +
        'remove that group’s assignment to the app in Okta',
    };
  }
  const actions: Action[] = [];
  const removalTriggered = triggerEventTypes.some(isRemovalTrigger);
  const wouldUnassign =
    observed.assignment === 'assigned' ||
    observed.assignment === 'assigned-user' ||
    (observed.assignment === 'unknown' && removalTriggered);
  const unmanaged =
    isEntitledStatus(observed.status) &&
    observed.userType !== FRONTLINE_USER_TYPE &&
    !triggerEventTypes.some(isLeftGroupTrigger);
  if (wouldUnassign && unmanaged && !options.pruneUnmanaged) {
    return {
      kind: 'skip',
      code: 'unmanaged-assignment',
      reason:
        'assigned to the Frontline app but not in the group and never onboarded by this tool (no userType "agent"); ' +
        'left in place and reported as unmanaged (enable pruning to remove it)',
    };
  }
  if (wouldUnassign) {
    actions.push({ type: 'unassign' });
  }
  if (options.clearUserTypeOnRemoval && observed.userType === FRONTLINE_USER_TYPE) {
    actions.push({ type: 'clear-user-type' });
  }
  return { kind: 'apply', desired: 'unassigned', actions };
}
