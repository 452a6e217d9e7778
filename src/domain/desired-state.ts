import { isLeftGroupTrigger, isRemovalTrigger } from './hook-events';
import type { Policy, SuspendedPolicy } from './policy';

/**
 * What a user's Frontline access should be, and the fewest Okta writes that get it there. Pure: no I/O, no clock.
 * The status table, suspension, the observed-assignment table (the apps-bucket budget), unmanaged assignments and
 * group mode are explained in docs/design.md, "Who gets Frontline" and "Assignment mode".
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

/** True when a suspended member keeps what they have (no write either way). */
export function keepsWhileSuspended(status: string, inGroup: boolean, policy: SuspendedPolicy): boolean {
  return status === 'SUSPENDED' && inGroup && policy === 'keep';
}

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

/**
 * The policy, whole, and the app username rendered from the pinned template (undefined when none is pinned: the
 * assignment then carries no username and Okta applies the app's own `credentials.userNameTemplate`).
 */
export type DecideOptions = Policy & { userName: UserNameResult | undefined };

export type Action =
  /**
   * `replaces`: the other value the field holds, which this write overwrites; recorded first
   * (src/domain/user-type-memory.ts) so that clearing the role on removal puts it back.
   */
  | { type: 'set-user-type'; userType: typeof FRONTLINE_USER_TYPE; replaces?: string }
  /** `userName` absent: Okta gives the username the app's own template yields (the app's username is the admin's). */
  | { type: 'assign'; userName?: string }
  | { type: 'unassign' }
  /** Puts back the value a set-user-type replaced (src/domain/user-type-memory.ts), or clears the field. */
  | { type: 'clear-user-type' }
  /**
   * Reads the assignment's username (the leaver's Frontline identity) just before an unassign takes it away; named
   * by src/domain/frontline-identity.ts `withIdentityCapture` when nothing else holds the identity.
   */
  | { type: 'read-app-username' };

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
export const APPS_BUCKET_ACTIONS: readonly ActionType[] = ['assign', 'unassign', 'read-app-username'];

/**
 * The value a write of "agent" would overwrite: a non-empty role other than "agent". Unset or empty is nothing to
 * keep. One rule for the worker's decision and the reconcile plan's report.
 */
export function overwrittenUserType(userType: unknown): string | undefined {
  return typeof userType === 'string' && userType !== '' && userType !== FRONTLINE_USER_TYPE
    ? userType
    : undefined;
}

/** The write that makes a user an agent, naming the value it replaces (when there is one). */
export function setAgent(userType: unknown): Extract<Action, { type: 'set-user-type' }> {
  const replaces = overwrittenUserType(userType);
  return {
    type: 'set-user-type',
    userType: FRONTLINE_USER_TYPE,
    ...(replaces === undefined ? {} : { replaces }),
  };
}

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
  if (keepsWhileSuspended(status, observed.inGroup, options.suspendedPolicy)) {
    return { kind: 'apply', desired: 'kept', actions: [] };
  }
  if (status === 'STAGED' && observed.inGroup) {
    return {
      kind: 'skip',
      code: 'staged-awaiting-activation',
      reason: 'user is STAGED; the user.lifecycle.activate event will onboard them',
    };
  }

  const groupMode = options.assignmentMode === 'group';
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
  const actions: Action[] = observed.userType === FRONTLINE_USER_TYPE ? [] : [setAgent(observed.userType)];
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
  if (observed.userType !== FRONTLINE_USER_TYPE) actions.push(setAgent(observed.userType));
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
