import type { AppSettings } from '../config/env';
import { appRulesFor } from '../domain/app-config';
import { planChangeCount, planStopped, stopReasons, type ReconcilePlan } from '../domain/reconcile-plan';
import { runScheduled, type ScheduledRunSummary } from '../reconcile/scheduled';
import { createGuardDirectory } from '../okta/guard-directory';
import type { FingerprintStore } from '../app-guard/fingerprint-store';
import type { RawOktaClient } from '../okta/http';
import type { WorkQueue } from '../domain/work-queue';
import type { ReconcileRun } from '../sqlite/last-reconcile';
import type { FrontlineReconcileDeps, FrontlineReconcileResult } from '../reconcile/frontline';

export interface BackstopLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface BackstopDeps {
  client: RawOktaClient;
  queue: WorkQueue;
  settings: Pick<AppSettings, 'policy' | 'realmSid' | 'appLabel' | 'reconcileIntervalSeconds'> &
    Partial<Pick<AppSettings, 'certificateExpiryWarningDays'>> & {
      appId: string;
    };
  fingerprints: FingerprintStore;
  logger: BackstopLogger;
  /** Told about every run, for `status`'s "last reconcile". */
  onRun?: (run: ReconcileRun) => void;
  /** Also deactivate recorded leavers still active in Frontline (src/reconcile/frontline.ts). */
  frontline?: FrontlineReconcileDeps;
}

export interface Backstop {
  /** One run now: the app check (report only) and the full reconcile, planned users handed to the queue. */
  runOnce(): Promise<{ enqueued: number; guardTripped: boolean }>;
  stop(): void;
}

/**
 * The local runtime's scheduled guard, as EventBridge runs it on AWS: every `FRONTLINE_RECONCILE_INTERVAL`
 * seconds the same reconcile plan (with the mass-removal guard, never overridden here) goes through the same queue
 * as the hooks, so it catches whatever a lost delivery missed. Without a Realm SID there are no app rules to check
 * against, and only the reconcile runs.
 */
export function startBackstop(deps: BackstopDeps): Backstop {
  const { client, queue, settings, logger } = deps;
  const okta = createGuardDirectory(client);
  // Built as `check` and the reconcile Lambda build them (src/domain/app-config.ts appRulesFor).
  const rules = settings.realmSid
    ? appRulesFor(settings.realmSid, settings.policy, settings.appLabel)
    : undefined;
  let running: Promise<unknown> | undefined;

  async function runOnce(): Promise<{ enqueued: number; guardTripped: boolean }> {
    const summary = await runScheduled(
      {
        okta,
        queue,
        metrics: { addMetric: () => undefined },
        ...(deps.frontline ? { frontline: deps.frontline } : {}),
      },
      {
        appId: settings.appId,
        policy: settings.policy,
        // Without a Realm SID there are no app rules to check against: only the reconcile runs.
        ...(rules
          ? {
              app: {
                rules,
                mode: 'report' as const,
                lastConfirmedFingerprint: await deps.fingerprints.get(settings.appId),
                recordedIdpIssuer: await deps.fingerprints.getIdpIssuer?.(settings.appId),
                expiryWarningDays: settings.certificateExpiryWarningDays,
              },
            }
          : {}),
      },
    );
    if (summary.app) {
      const findings = summary.app.findings.length;
      (findings > 0 || summary.app.missing ? logger.warn : logger.info).call(logger, 'backstop app check', {
        appMissing: summary.app.missing,
        findings: summary.app.findings.map((f) => ({ path: f.path, severity: f.severity })),
        hint: findings > 0 ? 'run `npm run cli -- check` for details, `repair` to fix' : undefined,
      });
    }
    logRun(summary.plan, summary.enqueued);
    logAssignments(summary);
    logFrontline(summary.frontline);
    return { enqueued: summary.enqueued, guardTripped: planStopped(summary.plan) };
  }

  function logAssignments(summary: ScheduledRunSummary): void {
    for (const assigned of summary.groupAssignments.filter((g) => g.action === 'assigned')) {
      logger.info('backstop assigned the Frontline group to the app (group mode)', {
        groupId: assigned.groupId,
      });
    }
    if (summary.scope.findings.length === 0) return;
    logger.warn('backstop scope guard: assignments contradict the assignment mode', {
      mode: summary.scope.mode,
      findings: summary.scope.findings.map((f) => ({ userId: f.userId, scope: f.scope, kind: f.kind })),
      hint: 'run `npm run cli -- check` for the Admin Console remedy of each',
    });
  }

  function logRun(plan: ReconcilePlan, enqueued: number): void {
    deps.onRun?.({
      at: new Date().toISOString(),
      outcome: planStopped(plan) ? 'guard-tripped' : 'planned',
      plannedChanges: planChangeCount(plan),
      enqueued,
      ...(planStopped(plan) ? { reason: stopReasons(plan).join(' ') } : {}),
    });
    if (planStopped(plan)) {
      logger.warn('backstop reconcile refused by a reconcile guard', {
        reasons: stopReasons(plan),
        hint: 'review with `npm run cli -- reconcile --dry-run`',
      });
      return;
    }
    logger.info('backstop reconcile', { plannedChanges: planChangeCount(plan), enqueued });
  }

  function logFrontline(result: FrontlineReconcileResult | undefined): void {
    if (!result) return;
    const { deactivate, guard, ...counts } = result;
    if (guard.tripped) {
      logger.warn('backstop Frontline check refused: too many deactivations at once', {
        ...counts,
        wouldDeactivate: deactivate.map((d) => d.userId),
        allowed: guard.allowed,
      });
    } else logger.info('backstop Frontline check', { ...counts, users: deactivate.map((d) => d.userId) });
  }

  const tick = (): void => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) => {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        deps.onRun?.({
          at: new Date().toISOString(),
          outcome: 'failed',
          plannedChanges: 0,
          enqueued: 0,
          reason: message,
        });
        logger.error('backstop run failed; retried at the next interval', { error: message });
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer =
    settings.reconcileIntervalSeconds > 0
      ? setInterval(tick, settings.reconcileIntervalSeconds * 1000)
      : undefined;
  timer?.unref();
  return {
    runOnce,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
