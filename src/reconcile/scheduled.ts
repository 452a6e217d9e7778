import { randomUUID } from 'node:crypto';
import type { Policy } from '../domain/policy';
import type { WorkQueue } from '../domain/work-queue';
import { guardApp, type AppGuardConfig, type AppGuardOutcome } from '../app-guard/run';
import type { GuardDirectory } from '../app-guard/okta-port';
import { RECONCILE_METRICS } from '../telemetry';
import type { FrontlineReconcileDeps } from './frontline';
import { planToWorkItems } from './plan';
import { runReconcile, type MetricsSink, type ReconcileRun } from './run';

export interface ScheduledRunDeps {
  okta: GuardDirectory;
  queue: WorkQueue;
  metrics: MetricsSink;
  now?: () => Date;
  /** Lambda's request id (kept across its own retries, so a retried run enqueues the same deduplication ids). */
  runId?: string;
  /** Also check that no longer entitled users are deactivated in Frontline (./frontline.ts). */
  frontline?: FrontlineReconcileDeps;
}

export interface ScheduledRunConfig {
  appId: string;
  policy: Policy;
  /** The app check; absent without a Realm SID (no rules to check against): only the reconcile runs. */
  app?: Omit<AppGuardConfig, 'appId'>;
}

export interface ScheduledRunSummary extends ReconcileRun<number> {
  runId: string;
  /** Absent when no app check ran. */
  app?: AppGuardOutcome;
  enqueued: number;
}

/**
 * One scheduled run, on AWS (EventBridge → the reconcile Lambda) and in `serve` (its backstop): the app check, then
 * the reconcile with the worker's queue as its sink (the worker re-reads and converges each planned user, so no user
 * is written by two paths at once). The mass-removal guard is never overridden here. Throws when Okta or the queue
 * fails, so the run is retried and its failure is visible.
 */
export async function runScheduled(
  deps: ScheduledRunDeps,
  config: ScheduledRunConfig,
): Promise<ScheduledRunSummary> {
  const now = deps.now?.() ?? new Date();
  const runId = deps.runId ?? randomUUID();
  const app = config.app
    ? await guardApp(deps.okta, { appId: config.appId, ...config.app }, { metrics: deps.metrics, now })
    : undefined;
  const run = await runReconcile(
    {
      okta: deps.okta,
      metrics: deps.metrics,
      ...(deps.frontline ? { frontline: deps.frontline } : {}),
      sink: async (plan) => {
        const items = planToWorkItems(plan, runId, now);
        await deps.queue.enqueue(items);
        return items.length;
      },
    },
    { appId: config.appId, policy: config.policy, rules: config.app?.rules, app: app?.app },
  );
  const enqueued = run.sunk ?? 0;
  deps.metrics.addMetric(RECONCILE_METRICS.enqueued, 'Count', enqueued);
  return { ...run, runId, enqueued, ...(app ? { app } : {}) };
}
