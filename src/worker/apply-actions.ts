import type { Action, ActionType } from '../domain/desired-state';
import type { OktaDirectory } from '../okta/directory';
import { OktaError } from '../okta/errors';
import type { UserTypeMemory } from '../domain/user-type-memory';

/**
 * One call that was made. `already-unassigned`: the unassign found nothing to remove (404 E0000007), a success.
 * `userName`: Okta's own answer, for an assign (the username it gave the assignment) and a `read-app-username`
 * (null: no assignment); the Frontline step takes the identity from it.
 */
export interface AppliedAction {
  type: ActionType;
  result: 'applied' | 'already-unassigned';
  userName?: string | null;
  /** For a `clear-user-type`: the value put back, the one this tool's set-user-type replaced. */
  restored?: string;
}

export const HELD_BY_GROUP_REASON =
  'Okta refused the unassign (E0000046): a group assignment grants the app, which cannot be removed ' +
  'per user; remove that group’s assignment to the app in Okta';

export const MASTERED_REASON =
  'userType is mastered by the profile source (Okta answered 403 E0000023); set it there';

export const DEACTIVATED_PROFILE_REASON =
  'Okta refuses profile edits of a deactivated user (403 E0000038, unless the org enables "Edit Deactivated User ' +
  'Profile Updates"); userType was left as it is, the assignment was removed';

/** A write Okta refused that no retry will change, and that does not stop the rest. */
export interface SkippedWrite {
  action: Action;
  code: 'deactivated-profile' | 'mastered-elsewhere';
  reason: string;
}

export interface ApplyActionsResult {
  /** The writes made, in order. */
  applied: AppliedAction[];
  /** Writes refused for good that the user's other writes do not depend on (a role clear after the unassign). */
  skipped: SkippedWrite[];
  /** Setting the role was refused because another source masters the profile: the user is not assigned role-less. */
  mastered?: { action: Action; reason: string };
  /** Actions not attempted because an earlier one stopped the user (failed, held by group, mastered). */
  notAttempted: Action[];
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
  userTypes: UserTypeMemory,
): Promise<ApplyActionsResult> {
  const applied: AppliedAction[] = [];
  const skipped: SkippedWrite[] = [];
  const rest = (i: number) => actions.slice(i + 1);
  for (const [i, action] of actions.entries()) {
    try {
      const result = await applyOne(directory, appId, userId, action, userTypes);
      if (result === 'held-by-group')
        return {
          applied,
          skipped,
          heldByGroup: { action, reason: HELD_BY_GROUP_REASON },
          notAttempted: rest(i),
        };
      applied.push(
        typeof result === 'string' ? { type: action.type, result } : { type: action.type, ...result },
      );
    } catch (error) {
      const code = error instanceof OktaError ? error.errorCode : undefined;
      if (action.type === 'clear-user-type' && (code === 'E0000038' || code === 'E0000023')) {
        const deactivated = code === 'E0000038';
        skipped.push({
          action,
          code: deactivated ? 'deactivated-profile' : 'mastered-elsewhere',
          reason: deactivated ? DEACTIVATED_PROFILE_REASON : MASTERED_REASON,
        });
        continue;
      }
      if (action.type === 'set-user-type' && code === 'E0000023') {
        // Nothing was overwritten: the value recorded for this write has nothing to put back.
        if (action.replaces !== undefined) await userTypes.forget(userId);
        return { applied, skipped, mastered: { action, reason: MASTERED_REASON }, notAttempted: rest(i) };
      }
      return { applied, skipped, failed: { action, error }, notAttempted: rest(i) };
    }
  }
  return { applied, skipped, notAttempted: [] };
}

async function applyOne(
  directory: OktaDirectory,
  appId: string,
  userId: string,
  action: Action,
  userTypes: UserTypeMemory,
): Promise<AppliedAction['result'] | Omit<AppliedAction, 'type'> | 'held-by-group'> {
  switch (action.type) {
    case 'set-user-type':
      // Recorded before the write: a crash between the two leaves the value recorded, never lost.
      await userTypes.remember(userId, action.replaces);
      await directory.updateUserProfile(userId, { userType: action.userType });
      return 'applied';
    case 'clear-user-type': {
      const previous = await userTypes.recall(userId);
      await directory.updateUserProfile(userId, { userType: previous ?? null });
      if (previous !== undefined) await userTypes.forget(userId);
      return previous === undefined ? 'applied' : { result: 'applied', restored: previous };
    }
    case 'assign': {
      const given = await directory.assignUser(appId, userId, action.userName);
      return given === undefined ? 'applied' : { result: 'applied', userName: given };
    }
    case 'read-app-username':
      return { result: 'applied', userName: await directory.getAppUserName(appId, userId) };
    case 'unassign': {
      const result = await directory.unassignUser(appId, userId);
      if (result === 'held-by-group') return result;
      return result === 'removed' ? 'applied' : 'already-unassigned';
    }
  }
}
