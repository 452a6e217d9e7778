import type { Policy } from '../domain/policy';
import type { UserTypeMemory } from '../domain/user-type-memory';
import { OktaPermanentError, OktaTransientError } from '../okta/errors';
import type { WorkItem } from '../domain/work-item';
import type { OktaDirectory } from '../okta/directory';
import { convergeUser, isSkippable, skippedOutcome, type ConvergenceOutcome } from './converge';
import type { DirectoryProvider } from '../okta/credentials';
import { CredentialsRejectedError, RetryLaterError } from './errors';
import { observeSettingsOf } from './observe';
import { isRetryableFrontlineError } from '../twilio/errors';
import type { FrontlineOutcome, FrontlineStep } from './frontline-step';

export interface WorkerSettings {
  /** The Frontline SAML app's id (`0oa…`). */
  appId: string;
  /** The one resolved policy (src/domain/policy.ts), whole. */
  policy: Policy;
}

/** The Powertools Logger methods the worker uses (tests pass a recorder). */
export interface WorkerLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface WorkerDeps {
  directory: DirectoryProvider;
  settings: WorkerSettings;
  logger: WorkerLogger;
  /** Where a role the onboarding overwrites is recorded and read back on removal (src/domain/user-type-memory.ts). */
  userTypes: UserTypeMemory;
  /** Ends a leaver's Frontline session (src/worker/frontline-step.ts). @default off: Okta only */
  frontline?: FrontlineStep;
  /** @default Date.now */
  now?: () => number;
}

export interface Worker {
  /**
   * Converges one user. Resolves with the outcome (including `skipped` for permanent problems); throws
   * RetryLaterError (429: not before `retryAt`), OktaTransientError (5xx/network: retry with backoff),
   * CredentialsRejectedError (401 even after refreshing credentials), or anything unexpected.
   */
  processWorkItem(item: WorkItem): Promise<ConvergenceOutcome & { frontline?: FrontlineOutcome }>;
}

/**
 * The worker behind both the SQS Lambda and the local runtime's in-process queue. Validates the settings now (a bad
 * username template fails at start, not per user). Writes exactly one structured log line per processed item.
 */
export function createWorker(deps: WorkerDeps): Worker {
  const now = deps.now ?? Date.now;
  const settings = observeSettingsOf(deps.settings.appId, deps.settings.policy);
  const { logger } = deps;
  const directories = deps.directory;
  const captureIdentity = deps.frontline && ((userId: string) => deps.frontline!.capturesIdentity(userId));
  const convergeWith = (item: WorkItem, directory: OktaDirectory) =>
    convergeUser(item, {
      directory,
      settings,
      userTypes: deps.userTypes,
      now,
      ...(captureIdentity ? { captureIdentity } : {}),
    });

  /** The convergence, and the directory it ran on (the Frontline step reads through the same one). */
  async function converge(
    item: WorkItem,
  ): Promise<{ outcome: ConvergenceOutcome; directory?: OktaDirectory }> {
    const started = now();
    let directory: OktaDirectory;
    try {
      directory = await directories.get();
    } catch (err) {
      // Building the adapter can fail for good (an unreadable private key): skipped with the reason, not retried.
      if (isSkippable(err)) return { outcome: skippedOutcome(item, err, Math.max(0, now() - started)) };
      throw err;
    }
    try {
      return { outcome: await convergeWith(item, directory), directory };
    } catch (err) {
      if (!(err instanceof OktaPermanentError && err.kind === 'auth')) throw err;
      // A 401 may mean the credentials were rotated: fetch them again once, then give up on this attempt.
      const refreshed = await directories.refresh();
      if (!refreshed)
        throw new CredentialsRejectedError(`Okta rejected the credentials: ${err.message}`, { cause: err });
      try {
        return { outcome: await convergeWith(item, refreshed), directory: refreshed };
      } catch (again) {
        if (again instanceof OktaPermanentError && again.kind === 'auth') {
          throw new CredentialsRejectedError(`Okta rejected the refreshed credentials: ${again.message}`, {
            cause: again,
          });
        }
        throw again;
      }
    }
  }

  return {
    async processWorkItem(item) {
      const started = now();
      const base = {
        userId: item.userId,
        triggers: item.triggers.map((t) => t.eventUuid),
        eventTypes: item.triggers.map((t) => t.eventType),
        source: item.source,
      };
      try {
        const { outcome: converged, directory } = await converge(item);
        // Strictly after Okta has converged, from what the convergence returned.
        const frontline = directory
          ? await deps.frontline?.run(converged, directory, base.eventTypes)
          : undefined;
        const appsBucketCalls = converged.appsBucketCalls + (frontline?.appsBucketCalls ?? 0);
        const outcome = { ...converged, appsBucketCalls, ...(frontline ? { frontline } : {}) };
        logger.info('convergence', {
          ...base,
          actions: outcome.actions,
          outcome: outcome.outcome,
          ...(outcome.skipCode ? { skipCode: outcome.skipCode } : {}),
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          ...(frontline
            ? {
                frontline: {
                  result: frontline.result,
                  actions: frontline.actions,
                  ...(frontline.source ? { source: frontline.source } : {}),
                  // Each candidate's source and result (a leaver with nothing on record), without the identities.
                  ...(frontline.candidates
                    ? { candidates: frontline.candidates.map((c) => `${c.source}: ${c.result}`) }
                    : {}),
                  // Earlier identities' results, without the identities (usernames stay out of the log line).
                  ...(frontline.previous ? { previous: frontline.previous.map((p) => p.result) } : {}),
                },
              }
            : {}),
          appsBucketCalls: outcome.appsBucketCalls,
          durationMs: outcome.durationMs,
        });
        return outcome;
      } catch (err) {
        const durationMs = Math.max(0, now() - started);
        if (err instanceof RetryLaterError) {
          logger.warn('convergence', {
            ...base,
            outcome: 'retry-later',
            retryAt: new Date(err.retryAt).toISOString(),
            reason: err.message,
            durationMs,
          });
        } else {
          const transient = err instanceof OktaTransientError || isRetryableFrontlineError(err);
          const log = transient ? logger.warn.bind(logger) : logger.error.bind(logger);
          log('convergence', {
            ...base,
            outcome: transient ? 'retry' : 'failed',
            error: err instanceof Error ? err.name : 'Error',
            reason: err instanceof Error ? err.message : String(err),
            durationMs,
          });
        }
        throw err;
      }
    },
  };
}
