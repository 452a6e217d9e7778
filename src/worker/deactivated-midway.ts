import type { Action } from '../domain/desired-state';
import type { OktaDirectory } from '../okta/directory';
import { OktaError, OktaPermanentError, OktaRateLimitedError, OktaTransientError } from '../okta/errors';

/** The skip code of an assignment Okta refused because the user was deactivated after the worker read them. */
export const DEACTIVATED_MIDWAY = 'deactivated-mid-convergence';

export const DEACTIVATED_MIDWAY_REASON =
  'Okta refused the assignment: the user was deactivated after the worker read them (Okta assigns no app to a ' +
  'deactivated user, and deactivation removes their assignments); nothing is left to do';

/**
 * Whether a refused write means the user was deactivated between the worker's read and the write. Okta does not
 * assign an app to a deactivated user (support.okta.com, "Can an Application Be Assigned to a Deactivated User") and
 * does not document the error it answers then, so the error is not trusted by its code: the user is read again, and
 * only a deactivated user (or one deleted meanwhile) makes it a skip. Anything else (a 403 for a missing scope, a
 * 400 for a bad username) stays the failure it is. Costs one users-bucket read, only on a refused assign.
 */
export async function deactivatedMidway(
  directory: OktaDirectory,
  userId: string,
  failed: { action: Action; error: unknown },
): Promise<boolean> {
  if (failed.action.type !== 'assign') return false;
  const { error } = failed;
  const refused =
    error instanceof OktaError &&
    !(error instanceof OktaTransientError) &&
    !(error instanceof OktaRateLimitedError) &&
    !(error instanceof OktaPermanentError && (error.kind === 'auth' || error.kind === 'not-found'));
  if (!refused) return false;
  const user = await directory.getUser(userId);
  return user === null || user.status === 'DEPROVISIONED' || user.transitioningToStatus === 'DEPROVISIONED';
}
