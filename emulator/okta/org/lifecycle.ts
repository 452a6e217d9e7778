import { OktaHttpError, notFound } from '../errors';
import { nowIso } from '../ids';
import type { UserStatus } from '../types';
import { restoreGroupAssignments, revokeAllAssignments } from './assignments';
import { userTarget } from './event-targets';
import { requireUser } from './lookup';
import type { Org, UserRecord } from './records';

interface Refusal {
  status: number;
  code: string;
  summary: string;
  causes?: string[];
}

interface Transition {
  /** Statuses the operation is allowed from; undefined = any. */
  from?: UserStatus[];
  refusal?: Refusal;
  /** The status it leads to. */
  to: (user: UserRecord) => UserStatus;
  eventType: string;
  displayMessage: string;
  legacyEventType: string;
}

const notActive = (what: string): Refusal => ({
  status: 400,
  code: 'E0000001',
  summary: `Api validation failed: ${what}`,
  causes: [what],
});

/** Okta's user lifecycle operations (Users API "Lifecycle operations"); invalid ones answer as Okta does. */
export const TRANSITIONS: Record<string, Transition> = {
  activate: {
    from: ['STAGED', 'DEPROVISIONED'],
    refusal: {
      status: 403,
      code: 'E0000016',
      summary: 'Activation failed because the user is already active',
    },
    // A user created with a password becomes ACTIVE; one without must finish the welcome flow first.
    to: (u) => (u.status === 'STAGED' && u.passwordChanged !== null ? 'ACTIVE' : 'PROVISIONED'),
    eventType: 'user.lifecycle.activate',
    displayMessage: 'Activate Okta user',
    legacyEventType: 'core.user.config.user_activated',
  },
  reactivate: {
    // Okta: "only on users with a PROVISIONED or RECOVERY status".
    from: ['PROVISIONED', 'RECOVERY'],
    refusal: {
      status: 403,
      code: 'E0000038',
      summary: "This operation is not allowed in the user's current status.",
    },
    to: () => 'PROVISIONED',
    eventType: 'user.lifecycle.reactivate',
    displayMessage: 'Reactivate Okta user',
    legacyEventType: 'core.user.config.user_reactivated',
  },
  deactivate: {
    to: () => 'DEPROVISIONED',
    eventType: 'user.lifecycle.deactivate',
    displayMessage: 'Deactivate Okta user',
    legacyEventType: 'core.user.config.user_deactivated',
  },
  suspend: {
    from: ['ACTIVE'],
    refusal: notActive('Cannot suspend a user that is not active'),
    to: () => 'SUSPENDED',
    eventType: 'user.lifecycle.suspend',
    displayMessage: 'Suspend Okta user',
    legacyEventType: 'core.user.config.user_status.suspended',
  },
  unsuspend: {
    from: ['SUSPENDED'],
    refusal: notActive('Cannot unsuspend a user that is not suspended'),
    to: () => 'ACTIVE',
    eventType: 'user.lifecycle.unsuspend',
    displayMessage: 'Unsuspend Okta user',
    legacyEventType: 'core.user.config.user_status.unsuspended',
  },
  unlock: {
    from: ['LOCKED_OUT'],
    refusal: { status: 403, code: 'E0000032', summary: 'Unlock is not allowed for this user.' },
    to: () => 'ACTIVE',
    eventType: 'user.account.unlock',
    displayMessage: 'Unlock Okta user',
    legacyEventType: 'core.user.config.user_status.account_unlock',
  },
};

/** Checks the operation against the table; returns the transition and its target status. */
export function planTransition(user: UserRecord, op: string): { t: Transition; to: UserStatus } {
  const t = TRANSITIONS[op];
  if (!t) throw notFound(op, 'lifecycle operation');
  if (t.from && !t.from.includes(user.status)) {
    const r = t.refusal!;
    throw new OktaHttpError(r.status, r.code, r.summary, r.causes ?? []);
  }
  return { t, to: t.to(user) };
}

/** Applies a planned transition: the status, the event, and what the new status does to app assignments. */
export function completeTransition(org: Org, user: UserRecord, op: string, to: UserStatus): void {
  const t = TRANSITIONS[op]!;
  const from = user.status;
  if (op === 'activate') user.activated = nowIso();
  delete user.transitioningToStatus;
  user.status = to;
  user.statusChanged = nowIso();
  user.lastUpdated = user.statusChanged;
  org.emit({
    eventType: t.eventType,
    displayMessage: t.displayMessage,
    legacyEventType: t.legacyEventType,
    targets: [userTarget(user)],
  });
  // Deactivation revokes every app assignment; group memberships stay. Back from it, group ones return.
  if (to === 'DEPROVISIONED') revokeAllAssignments(org, user);
  else if (from === 'DEPROVISIONED') restoreGroupAssignments(org, user);
}

/** Operations Okta runs asynchronously (Users API `activateUser`/`deactivateUser`: "This operation is asynchronous"). */
const ASYNC_OPS = new Set(['activate', 'deactivate']);

export function lifecycle(org: Org, idOrLogin: string, op: string): UserRecord {
  const user = requireUser(org, idOrLogin);
  const { to } = planTransition(user, op);
  // Deactivating an already DEPROVISIONED user is a no-op (Okta documents no error for it).
  if (user.status === to && op === 'deactivate') return user;
  const pending = org.transitions.get(user.id);
  if (pending) {
    // One transition at a time; what Okta answers to a second one mid-transition is undocumented.
    throw new OktaHttpError(403, 'E0000038', "This operation is not allowed in the user's current status.");
  }
  if (org.settings.asyncLifecycleMs > 0 && ASYNC_OPS.has(op)) {
    // While it runs, reads show the old status plus `transitioningToStatus` (Users API: User object).
    user.transitioningToStatus = to;
    const timer = setTimeout(() => finish(org, user.id), org.settings.asyncLifecycleMs);
    timer.unref();
    org.transitions.set(user.id, { op, to, timer });
    return user;
  }
  completeTransition(org, user, op, to);
  return user;
}

function finish(org: Org, uid: string): void {
  const t = org.transitions.get(uid);
  if (!t) return;
  clearTimeout(t.timer);
  org.transitions.delete(uid);
  const user = org.users.get(uid);
  if (user) completeTransition(org, user, t.op, t.to);
}

/** Completes every transition under way (the control API's "now"). */
export function completePendingTransitions(org: Org): void {
  for (const uid of [...org.transitions.keys()]) finish(org, uid);
}
