import type { Action, ActionType } from '../domain/desired-state';
import type { OktaDirectory } from '../okta/directory';

/** One write that was made. `already-unassigned`: the unassign found nothing to remove (404 E0000007), a success. */
export interface AppliedAction {
  type: ActionType;
  result: 'applied' | 'already-unassigned';
}

export const HELD_BY_GROUP_REASON =
  'Okta refused the unassign (E0000046): a group assignment grants the app, which cannot be removed ' +
  'per user; remove that group’s assignment to the app in Okta';

export interface ApplyActionsResult {
  /** The writes made, in order. */
  applied: AppliedAction[];
  /** The unassign Okta refused because a group holds the assignment; nothing after it was attempted. */
  heldByGroup?: { action: Action; reason: string };
  /** The write that threw; nothing after it was attempted (a role that could not be set is never assigned). */
  failed?: { action: Action; error: unknown };
}

/**
 * Makes a user's writes in the given order, stopping at the first one that fails or that Okta refuses because a
 * group holds the assignment. The one place Okta is written for a user: the worker's convergence and the CLI's
 * direct reconcile both come here, so both read Okta's answers the same way. Never throws for an Okta failure; the
 * caller decides what it means (retry, skip, report).
 */
export async function applyActions(
  directory: OktaDirectory,
  appId: string,
  userId: string,
  actions: readonly Action[],
): Promise<ApplyActionsResult> {
  const applied: AppliedAction[] = [];
  for (const action of actions) {
    try {
      const result = await applyOne(directory, appId, userId, action);
      if (result === 'held-by-group')
        return { applied, heldByGroup: { action, reason: HELD_BY_GROUP_REASON } };
      applied.push({ type: action.type, result });
    } catch (error) {
      return { applied, failed: { action, error } };
    }
  }
  return { applied };
}

async function applyOne(
  directory: OktaDirectory,
  appId: string,
  userId: string,
  action: Action,
): Promise<AppliedAction['result'] | 'held-by-group'> {
  switch (action.type) {
    case 'set-user-type':
      await directory.updateUserProfile(userId, { userType: action.userType });
      return 'applied';
    case 'clear-user-type':
      await directory.updateUserProfile(userId, { userType: null });
      return 'applied';
    case 'assign':
      await directory.assignUser(appId, userId, action.userName);
      return 'applied';
    case 'unassign': {
      const result = await directory.unassignUser(appId, userId);
      if (result === 'held-by-group') return result;
      return result === 'removed' ? 'applied' : 'already-unassigned';
    }
  }
}
