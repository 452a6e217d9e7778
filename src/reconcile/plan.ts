import { setAgent, type Action } from '../domain/desired-state';
import type { UserTypeMemory } from '../domain/user-type-memory';
import { plannedUserIds, planStopped, type ReconcilePlan } from '../domain/reconcile-plan';
import type { OktaDirectory } from '../okta/directory';
import type { WorkItem } from '../domain/work-item';
import { applyActions } from '../worker/apply-actions';
import type { GuardDirectory } from '../app-guard/okta-port';
import type { AssignmentListing } from './assignments';

/**
 * Completes a listing for the plan: assigned non-members whose profile the listing did not embed are looked up one
 * by one (users bucket), so the left-the-group vs assigned-by-hand decision rests on the user's `userType` mark;
 * with Okta's `expand=user` that costs nothing.
 */
export async function completeListing(okta: GuardDirectory, listing: AssignmentListing): Promise<void> {
  const memberIds = new Set(listing.members.map((m) => m.id));
  const unknown = listing.appUsers.filter(
    (u) => !memberIds.has(u.id) && u.scope === 'USER' && u.userType === undefined,
  );
  await forEachBounded(unknown, 4, async (user) => {
    const userType = await okta.getUserType(user.id);
    // A user deleted since the listing has no assignment left to manage.
    if (userType !== 'missing') user.userType = userType;
  });
}

/** The writes a reconcile plan can hold. */
type PlannedAction = Extract<Action, { type: 'set-user-type' | 'assign' | 'unassign' }>;
export type ApplyAction = PlannedAction['type'];

export interface ApplyResult {
  applied: { userId: string; action: ApplyAction }[];
  /**
   * Planned writes not made, with why: Okta refused them for a reason no retry changes (a group-held assignment,
   * E0000046; a profile mastered elsewhere, E0000023), or an earlier write for the same user failed.
   */
  skipped: { userId: string; action: ApplyAction; reason: string }[];
  failed: { userId: string; action: ApplyAction; error: string }[];
}

/**
 * Applies a plan directly (the CLI path), a user at a time per worker, at most `concurrency` users at once. Each
 * user's role is written before its assignment (an assigned user without a role reaches Frontline role-less).
 * Pacing comes from the client's rate governor (X-Rate-Limit-Remaining/Reset); a user whose call fails is
 * reported and the rest continue. The writes go through the worker's `applyActions`, so an unassign Okta refuses
 * because a group holds the assignment is reported as skipped, as the worker reports it, never as applied.
 */
export async function applyPlan(
  directory: OktaDirectory,
  plan: ReconcilePlan,
  options: {
    appId: string;
    /** Where the roles the plan overwrites are recorded (`plan.overwrites`), and read back on removal. */
    userTypes: UserTypeMemory;
    concurrency?: number;
    onUserDone?: (done: number, total: number) => void;
  },
): Promise<ApplyResult> {
  const result: ApplyResult = { applied: [], skipped: [], failed: [] };
  if (planStopped(plan)) return result;
  const setType = new Set(plan.setUserType);
  const replaced = new Map(plan.overwrites.map((o) => [o.userId, o.previous]));
  const assign = new Map(plan.assign.map((a) => [a.userId, a.userName]));
  const unassign = new Set(plan.unassign.map((u) => u.userId));
  const users = plannedUserIds(plan);
  let done = 0;
  await forEachBounded(users, options.concurrency ?? 4, async (userId) => {
    const actions: PlannedAction[] = [];
    if (setType.has(userId)) actions.push(setAgent(replaced.get(userId)));
    if (assign.has(userId)) {
      // No username: Okta derives it from the app's own template, as for the worker's assignments.
      const userName = assign.get(userId);
      actions.push(userName === undefined ? { type: 'assign' } : { type: 'assign', userName });
    }
    if (unassign.has(userId)) actions.push({ type: 'unassign' });
    const outcome = await applyActions(directory, options.appId, userId, actions, options.userTypes);
    for (const applied of outcome.applied)
      result.applied.push({ userId, action: applied.type as ApplyAction });
    if (outcome.heldByGroup) {
      result.skipped.push({ userId, action: 'unassign', reason: outcome.heldByGroup.reason });
    }
    if (outcome.mastered) {
      result.skipped.push({ userId, action: 'set-user-type', reason: outcome.mastered.reason });
    }
    for (const action of outcome.notAttempted) {
      result.skipped.push({
        userId,
        action: action.type as ApplyAction,
        reason: `not attempted: the ${(outcome.failed ?? outcome.heldByGroup ?? outcome.mastered)?.action.type} before it did not go through`,
      });
    }
    if (outcome.failed) {
      const { action, error } = outcome.failed;
      result.failed.push({
        userId,
        action: action.type as ApplyAction,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    done += 1;
    options.onUserDone?.(done, users.length);
  });
  return result;
}

/** The Lambda path: one work item per planned user, for the worker (which re-reads and converges each user). */
export function planToWorkItems(plan: ReconcilePlan, runId: string, now: Date): WorkItem[] {
  if (planStopped(plan)) return [];
  const reasons = new Map<string, string>();
  for (const id of plan.setUserType) reasons.set(id, 'reconcile.set-user-type');
  for (const a of plan.assign) reasons.set(a.userId, 'reconcile.assign');
  for (const u of plan.unassign) reasons.set(u.userId, 'reconcile.unassign');
  return plannedUserIds(plan).map((userId) => ({
    kind: 'converge-user',
    userId,
    triggers: [
      {
        // One id per run and user: a retried scheduled run (same Lambda request id) within SQS's 5-minute window
        // is deduplicated.
        eventUuid: `reconcile-${runId}`,
        eventType: reasons.get(userId) ?? 'reconcile',
        published: now.toISOString(),
      },
    ],
    source: 'reconcile',
  }));
}

export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}
