import {
  APPS_BUCKET_ACTIONS,
  decide,
  type Decision,
  type ObservedAssignment,
  type SkipCode,
} from '../domain/desired-state';
import type { OktaDirectory } from '../okta/directory';
import { OktaPermanentError, OktaRateLimitedError, type OktaFailureKind } from '../okta/errors';
import type { WorkItem } from '../domain/work-item';
import { applyActions, type AppliedAction } from './apply-actions';
import { RetryLaterError } from './errors';
import { renderUserName, type UserNameTemplate } from '../domain/username-template';

export interface ConvergeSettings {
  /** The Frontline SAML app's id (`0oa…`). */
  appId: string;
  /** The group whose members get Frontline (`00g…`). */
  groupId: string;
  userNameTemplate: UserNameTemplate;
  clearUserTypeOnRemoval: boolean;
  /** Remove assignments this tool did not make. @default false */
  pruneUnmanaged?: boolean;
}

export interface ConvergeDeps {
  directory: OktaDirectory;
  settings: ConvergeSettings;
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
  outcome: OutcomeKind;
  /** The decision's desired access, when it came to one (the Frontline step reads it: src/worker/frontline-step.ts). */
  desired?: Extract<Decision, { kind: 'apply' }>['desired'];
  /** For `skipped`: a stable code and a sentence. */
  skipCode?: SkipCode | OktaFailureKind;
  reason?: string;
  /** Calls made in Okta's `/api/v1/apps*` bucket (0 or 1). */
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
  let desired: ConvergenceOutcome['desired'];
  const finish = (
    outcome: OutcomeKind,
    extra: { skipCode?: SkipCode | OktaFailureKind; reason?: string } = {},
  ): ConvergenceOutcome => ({
    userId: item.userId,
    triggers: item.triggers.map((t) => t.eventUuid),
    actions,
    outcome,
    ...(desired ? { desired } : {}),
    ...extra,
    appsBucketCalls: actions.filter((a) => APPS_BUCKET_ACTIONS.includes(a.type)).length,
    durationMs: Math.max(0, now() - started),
  });

  try {
    const decision = await observeAndDecide(item, deps);
    if (decision.kind === 'skip')
      return finish('skipped', { skipCode: decision.code, reason: decision.reason });
    desired = decision.desired;
    const result = await applyActions(directory, settings.appId, item.userId, decision.actions);
    actions.push(...result.applied);
    if (result.failed) throw result.failed.error;
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

async function observeAndDecide(item: WorkItem, deps: ConvergeDeps): Promise<Decision> {
  const { directory, settings } = deps;
  const triggerTypes = item.triggers.map((t) => t.eventType);
  const user = await directory.getUser(item.userId);
  if (!user) {
    return decide(
      { status: 'missing', userType: undefined, inGroup: false, assignment: 'unknown' },
      triggerTypes,
      {
        clearUserTypeOnRemoval: settings.clearUserTypeOnRemoval,
        userName: { ok: false, reason: 'user not found' },
      },
    );
  }
  const [groupIds, links] = await Promise.all([
    directory.listUserGroupIds(item.userId),
    directory.listAppLinks(item.userId),
  ]);
  // appLinks lists the app when the user has it (directly or through a group); its absence is only a hint.
  const assignment: ObservedAssignment = links.some((l) => l.appInstanceId === settings.appId)
    ? 'assigned'
    : 'unknown';
  const userType = user.profile.userType;
  return decide(
    {
      status: user.status,
      userType: typeof userType === 'string' ? userType : null,
      inGroup: groupIds.includes(settings.groupId),
      assignment,
    },
    triggerTypes,
    {
      clearUserTypeOnRemoval: settings.clearUserTypeOnRemoval,
      pruneUnmanaged: settings.pruneUnmanaged ?? false,
      userName: renderUserName(settings.userNameTemplate, user.profile),
    },
  );
}
