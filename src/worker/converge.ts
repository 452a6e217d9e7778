import { APPS_BUCKET_ACTIONS, type Decision, type SkipCode } from '../domain/desired-state';
import type { Policy } from '../domain/policy';
import type { DirectoryUser, OktaDirectory } from '../okta/directory';
import { withIdentityCapture } from '../domain/frontline-identity';
import { OktaPermanentError, OktaRateLimitedError, type OktaFailureKind } from '../okta/errors';
import type { WorkItem } from '../domain/work-item';
import { applyActions, type AppliedAction, type SkippedWrite } from './apply-actions';
import { DEACTIVATED_MIDWAY, DEACTIVATED_MIDWAY_REASON, deactivatedMidway } from './deactivated-midway';
import { RetryLaterError } from './errors';
import type { UserNameTemplate } from '../domain/username-template';
import type { UserTypeMemory } from '../domain/user-type-memory';
import { decideFor, observeSnapshot, readUserSnapshot } from './observe';

export interface ConvergeSettings {
  /** The Frontline SAML app's id (`0oa…`). */
  appId: string;
  /** The one resolved policy (src/domain/policy.ts), whole. */
  policy: Policy;
  /** The policy's pinned username template, parsed; undefined = the app's own template, applied by Okta. */
  userNameTemplate: UserNameTemplate | undefined;
  /** How long to wait before reading a user again who is mid-transition. @default 5000 */
  transitionRetryMs?: number;
}

export interface ConvergeDeps {
  directory: OktaDirectory;
  settings: ConvergeSettings;
  /** Where a role the onboarding overwrites is recorded, and read back when the role is cleared on removal. */
  userTypes: UserTypeMemory;
  /**
   * Asked only when the decision unassigns: whether the assignment's username must be read first (the Frontline
   * step has no other source for the leaver's identity). @default never
   */
  captureIdentity?: (userId: string) => Promise<boolean>;
  /** @default Date.now */
  now?: () => number;
}

export type OutcomeKind = 'converged' | 'no-change' | 'skipped';

export interface ConvergenceOutcome {
  userId: string;
  /** System Log uuids of the events that asked for this convergence. */
  triggers: string[];
  /** Writes made, in order. */
  actions: AppliedAction[];
  /** Writes Okta refused for good that did not stop the rest (a deactivated user's role clear), with why. */
  skippedWrites?: { type: SkippedWrite['action']['type']; code: SkippedWrite['code']; reason: string }[];
  outcome: OutcomeKind;
  /** The decision's desired access, when it came to one (the Frontline step reads it: src/worker/frontline-step.ts). */
  desired?: Extract<Decision, { kind: 'apply' }>['desired'];
  /** The user as read for the decision (null: Okta answered 404); absent when the read failed for good. */
  user?: DirectoryUser | null;
  /** For `skipped`: a stable code and a sentence. */
  skipCode?: SkipCode | OktaFailureKind | typeof DEACTIVATED_MIDWAY;
  reason?: string;
  /**
   * Calls made in Okta's `/api/v1/apps*` bucket: the convergence's own (an assign or an unassign, and the read of a
   * leaver's username before it); the worker adds the Frontline step's (src/worker/frontline-step.ts).
   */
  appsBucketCalls: number;
  durationMs: number;
}

/**
 * Reads the user's current state (three users-bucket GETs), decides, and makes only the writes that differ.
 *
 * Returns an outcome for success and for permanent problems (`skipped`, not retried). Throws RetryLaterError on a
 * 429, OktaTransientError on 5xx/network failures (the queue retries with backoff), and OktaPermanentError of kind
 * `auth` so the caller can refresh credentials once.
 */
export async function convergeUser(item: WorkItem, deps: ConvergeDeps): Promise<ConvergenceOutcome> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { directory, settings } = deps;
  const actions: AppliedAction[] = [];
  const skippedWrites: NonNullable<ConvergenceOutcome['skippedWrites']> = [];
  let desired: ConvergenceOutcome['desired'];
  let user: DirectoryUser | null | undefined;
  let observeAppsCalls = 0;
  const finish = (
    outcome: OutcomeKind,
    extra: { skipCode?: ConvergenceOutcome['skipCode']; reason?: string } = {},
  ): ConvergenceOutcome => ({
    userId: item.userId,
    triggers: item.triggers.map((t) => t.eventUuid),
    actions,
    ...(skippedWrites.length > 0 ? { skippedWrites } : {}),
    outcome,
    ...(desired ? { desired } : {}),
    ...(user === undefined ? {} : { user }),
    ...extra,
    appsBucketCalls: observeAppsCalls + actions.filter((a) => APPS_BUCKET_ACTIONS.includes(a.type)).length,
    durationMs: Math.max(0, now() - started),
  });

  try {
    const observed = await observeAndDecide(item, deps);
    const { decision } = observed;
    user = observed.user;
    observeAppsCalls = observed.appsBucketCalls;
    if (decision.kind === 'retry') {
      // Mid-transition reads are not final (asynchronous activate/deactivate): come back once it has completed.
      throw new RetryLaterError(decision.reason, now() + (settings.transitionRetryMs ?? 5_000));
    }
    if (decision.kind === 'skip')
      return finish('skipped', { skipCode: decision.code, reason: decision.reason });
    desired = decision.desired;
    const unassigns = decision.actions.some((a) => a.type === 'unassign');
    const capture = unassigns && (await deps.captureIdentity?.(item.userId)) === true;
    const planned = capture ? withIdentityCapture(decision.actions) : decision.actions;
    const result = await applyActions(directory, settings.appId, item.userId, planned, deps.userTypes);
    actions.push(...result.applied);
    skippedWrites.push(
      ...result.skipped.map((w) => ({ type: w.action.type, code: w.code, reason: w.reason })),
    );
    if (result.failed) {
      // A user deactivated between the read and the assign: a skip with the reason, never a retry to dead letter.
      if (await deactivatedMidway(directory, item.userId, result.failed))
        return finish('skipped', { skipCode: DEACTIVATED_MIDWAY, reason: DEACTIVATED_MIDWAY_REASON });
      throw result.failed.error;
    }
    if (result.mastered) {
      return finish('skipped', { skipCode: 'mastered-elsewhere', reason: result.mastered.reason });
    }
    if (result.heldByGroup) {
      return finish('skipped', { skipCode: 'group-scoped-assignment', reason: result.heldByGroup.reason });
    }
    return finish(actions.length > 0 ? 'converged' : 'no-change');
  } catch (err) {
    if (err instanceof OktaRateLimitedError) {
      throw new RetryLaterError(`rate limited: ${err.message}`, err.resetAt, { cause: err });
    }
    if (isSkippable(err)) return finish('skipped', { skipCode: err.kind, reason: err.message });
    throw err;
  }
}

/**
 * Failures no retry can fix (user gone, profile mastered elsewhere, 400, an id Okta can't have, an unreadable
 * private key): the item ends as `skipped` with the reason. A 403 other than E0000023 means our credential lacks a
 * scope or admin role: every user would fail the same way, so it must fail loudly (retries, then the dead-letter
 * queue and its alarm), like a 401.
 */
export function isSkippable(err: unknown): err is OktaPermanentError {
  return err instanceof OktaPermanentError && err.kind !== 'auth' && err.kind !== 'forbidden';
}

/** The outcome of an item that failed for good before any write (see isSkippable). */
export function skippedOutcome(
  item: WorkItem,
  err: OktaPermanentError,
  durationMs: number,
): ConvergenceOutcome {
  return {
    userId: item.userId,
    triggers: item.triggers.map((t) => t.eventUuid),
    actions: [],
    outcome: 'skipped',
    skipCode: err.kind,
    reason: err.message,
    appsBucketCalls: 0,
    durationMs,
  };
}

async function observeAndDecide(
  item: WorkItem,
  deps: ConvergeDeps,
): Promise<{ decision: Decision; user: DirectoryUser | null; appsBucketCalls: number }> {
  const snapshot = await readUserSnapshot(
    deps.directory,
    item.userId,
    deps.settings.policy,
    deps.settings.appId,
  );
  const { observed, userName } = observeSnapshot(snapshot, deps.settings);
  const triggers = item.triggers.map((t) => t.eventType);
  return {
    decision: decideFor(observed, userName, triggers, deps.settings.policy),
    user: snapshot?.user ?? null,
    // The assignment read when appLinks could not tell (src/worker/observe.ts).
    appsBucketCalls: snapshot?.assignmentRead === undefined ? 0 : 1,
  };
}
