import { randomUUID } from 'node:crypto';
import type { AppConfigRules, Finding } from '../domain/app-config';
import type { CertificateInfo } from '../domain/signing-certificate';
import { isAppConfigEvent } from '../domain/hook-events';
import {
  planChangeCount,
  type AppUser,
  type GroupMember,
  type ReconcileOptions,
  type ReconcilePlan,
} from '../domain/reconcile-plan';
import { guardDirectoryOf } from '../okta/guard-directory';
import type { RawOktaClient } from '../okta/http';
import { OktaPermanentError } from '../okta/errors';
import type { WorkQueue } from '../work/queue';
import { checkApp } from './check';
import { scopeGuard, type ScopeGuardReport } from '../domain/scope-guard';
import { DEFAULT_ASSIGNMENT_MODE } from '../domain/desired-state';
import { ensureGroupAssigned, type GroupAssignmentStep } from './assignments';
import type { GuardDirectory } from './okta-port';
import { buildReconcilePlan, planToWorkItems } from './reconcile';
import { repairApp, type RepairResult } from './repair';
import { RECONCILE_METRICS } from '../telemetry';
import {
  recordListedIdentities,
  reconcileFrontline,
  type FrontlineReconcileDeps,
  type FrontlineReconcileResult,
} from './reconcile-frontline';

/** The metric names (src/telemetry.ts), under the name this module's callers know them by. */
export const GUARD_METRICS = RECONCILE_METRICS;

export type MetricUnitName = 'Count' | 'None';

/** Where metrics go: Powertools Metrics on Lambda, a plain recorder in tests. */
export interface MetricsSink {
  addMetric(name: string, unit: MetricUnitName, value: number): void;
}

export interface GuardRunConfig {
  appId: string;
  groupId: string;
  rules: AppConfigRules;
  /** `repair`: fix drift and verify; `report`: only publish findings. */
  mode: 'repair' | 'report';
  lastConfirmedFingerprint: string | undefined;
  reconcile: Omit<ReconcileOptions, 'allowMassRemoval'>;
}

export interface GuardRunDeps {
  /**
   * The guard's port to Okta. An SDK client is still accepted (and adapted) for src/guard/lambda-handler.ts and
   * src/local/app-check.ts, which are outside this change; pass a GuardDirectory from new code.
   */
  client: GuardDirectory | RawOktaClient;
  queue: WorkQueue;
  metrics: MetricsSink;
  now?: () => Date;
  runId?: string;
  /** Also check that no longer entitled users are deactivated in Frontline (./reconcile-frontline.ts). */
  frontline?: FrontlineReconcileDeps;
}

export interface AppGuardOutcome {
  findings: Finding[];
  certificate: CertificateInfo | undefined;
  repair: RepairResult | undefined;
  missing: boolean;
}

export interface GuardRunSummary {
  runId: string;
  app: AppGuardOutcome;
  plan: ReconcilePlan;
  /** Assignments whose scope contradicts the mode: reported (Okta's API converts no scope), never written. */
  scope: ScopeGuardReport;
  /** Group mode: the group's assignment to the app, made if it was missing. */
  groupAssignment?: GroupAssignmentStep;
  enqueued: number;
  /** Undefined when Frontline offboarding is off, or the Okta plan's mass-removal guard tripped. */
  frontline?: FrontlineReconcileResult;
  /** With `frontline`: members' identities recorded from the app's user listing (none were on record). */
  identitiesRecorded?: number;
}

/**
 * One scheduled run: check the app (repairing it when so configured), then the reconcile
 * (`runScheduledReconcile`). Throws when Okta or the queue fails, so the run is retried and its failure is visible.
 */
export async function runScheduledGuard(
  deps: GuardRunDeps,
  config: GuardRunConfig,
): Promise<GuardRunSummary> {
  const now = deps.now?.() ?? new Date();
  const okta = guardDirectoryOf(deps.client);
  const app = await guardApp(okta, config, now);
  publishAppMetrics(deps.metrics, app);
  return { app, ...(await runScheduledReconcile({ ...deps, client: okta, now: () => now }, config)) };
}

export type ReconcileRunSummary = Omit<GuardRunSummary, 'app'>;

/**
 * The scheduled reconcile: plan the full reconcile with the scope guard over the same listing; in group mode make
 * sure the group is assigned to the app (group mode's precondition, as setup and the CLI reconcile do; it adds
 * exactly the access the configured mode grants and removes none; not when the plan's guard tripped); and hand each
 * planned user to the worker queue (the worker re-reads and converges the user, so no user is written by two paths
 * at once). The mass-removal guard is never overridden here.
 */
export async function runScheduledReconcile(
  deps: GuardRunDeps,
  config: Pick<GuardRunConfig, 'appId' | 'groupId' | 'reconcile'>,
): Promise<ReconcileRunSummary> {
  const now = deps.now?.() ?? new Date();
  const runId = deps.runId ?? randomUUID();
  const okta = guardDirectoryOf(deps.client);
  const mode = config.reconcile.assignmentMode ?? DEFAULT_ASSIGNMENT_MODE;
  let listed: { members: readonly GroupMember[]; appUsers: readonly AppUser[] } = {
    members: [],
    appUsers: [],
  };
  const plan = await buildReconcilePlan(okta, {
    ...config.reconcile,
    groupId: config.groupId,
    appId: config.appId,
    allowMassRemoval: false,
    onListed: (members, appUsers) => {
      listed = { members, appUsers };
    },
  });
  const policy = config.reconcile.suspendedPolicy;
  const scope: ScopeGuardReport = scopeGuard(mode, listed.members, listed.appUsers, {
    ...(policy ? { suspendedPolicy: policy } : {}),
  });
  // After the plan, and only when its guard holds: a tripped guard most likely means a wrong group id, and assigning
  // that group would grant the app to all of it.
  const groupAssignment =
    mode === 'group' && !plan.guard.tripped
      ? await ensureGroupAssigned(okta, config.appId, config.groupId)
      : undefined;
  const items = planToWorkItems(plan, runId, now);
  await deps.queue.enqueue(items);
  const m = deps.metrics;
  m.addMetric(GUARD_METRICS.plannedChanges, 'Count', planChangeCount(plan));
  m.addMetric(GUARD_METRICS.plannedAssign, 'Count', plan.assign.length);
  m.addMetric(GUARD_METRICS.plannedUnassign, 'Count', plan.unassign.length);
  m.addMetric(GUARD_METRICS.plannedSetUserType, 'Count', plan.setUserType.length);
  m.addMetric(GUARD_METRICS.unmanaged, 'Count', plan.unmanaged.length);
  m.addMetric(GUARD_METRICS.guardTrips, 'Count', plan.guard.tripped ? 1 : 0);
  m.addMetric(GUARD_METRICS.enqueued, 'Count', items.length);
  m.addMetric(GUARD_METRICS.scopeFindings, 'Count', scope.findings.length);
  // A tripped Okta guard means the group listing is not to be trusted: Frontline is not touched either.
  let frontline: FrontlineReconcileResult | undefined;
  let identitiesRecorded = 0;
  if (deps.frontline && !plan.guard.tripped) {
    identitiesRecorded = await recordListedIdentities(deps.frontline, listed.members, listed.appUsers);
    frontline = await reconcileFrontline(okta, config.groupId, deps.frontline);
  }
  return {
    runId,
    plan,
    scope,
    ...(groupAssignment ? { groupAssignment } : {}),
    enqueued: items.length,
    ...(frontline ? { frontline, identitiesRecorded } : {}),
  };
}

type AppGuardConfig = Pick<GuardRunConfig, 'appId' | 'rules' | 'mode' | 'lastConfirmedFingerprint'>;

async function guardApp(okta: GuardDirectory, config: AppGuardConfig, now: Date): Promise<AppGuardOutcome> {
  try {
    const checked = await checkApp(okta, {
      appId: config.appId,
      rules: config.rules,
      lastConfirmedFingerprint: config.lastConfirmedFingerprint,
      now,
    });
    let repair: RepairResult | undefined;
    if (config.mode === 'repair' && checked.findings.some((f) => f.repairable)) {
      repair = await repairApp(okta, { appId: config.appId, rules: config.rules });
    }
    return { findings: checked.findings, certificate: checked.certificate, repair, missing: false };
  } catch (err) {
    if (err instanceof OktaPermanentError && err.kind === 'not-found') {
      // The app was deleted: every rule fails and nothing can be repaired; setup must recreate it.
      const findings: Finding[] = [
        {
          path: 'id',
          expected: config.appId,
          actual: null,
          severity: 'breaks-sso',
          message: `the Frontline app ${config.appId} no longer exists; run setup to recreate it and update Frontline's console`,
          repairable: false,
        },
      ];
      return { findings, certificate: undefined, repair: undefined, missing: true };
    }
    throw err;
  }
}

function publishAppMetrics(metrics: MetricsSink, app: AppGuardOutcome): void {
  const config = app.findings.filter((f) => f.repairable);
  metrics.addMetric(GUARD_METRICS.appFindings, 'Count', config.length);
  metrics.addMetric(
    GUARD_METRICS.appBreaksSso,
    'Count',
    app.findings.filter((f) => f.severity === 'breaks-sso').length,
  );
  metrics.addMetric(
    GUARD_METRICS.appRepairFailed,
    'Count',
    app.missing || (app.repair && !app.repair.ok) ? 1 : 0,
  );
  if (app.certificate) {
    metrics.addMetric(GUARD_METRICS.certDaysToExpiry, 'None', app.certificate.daysToExpiry);
    metrics.addMetric(
      GUARD_METRICS.certChanged,
      'Count',
      app.findings.some((f) => f.path === 'credentials.signing.kid') ? 1 : 0,
    );
  }
}

/**
 * The prompt check after an admin changed, deactivated or deleted the Frontline app (the receiver's
 * `appConfigEvents`). Runs the app part of the scheduled guard only (two or three calls; a repair adds a PUT and a
 * GET) and publishes the same app metrics. Several events in one delivery cost one check. Events for other types
 * are ignored (resolves to undefined).
 */
export async function checkAppOnEvent(
  deps: Pick<GuardRunDeps, 'client' | 'metrics' | 'now'>,
  config: AppGuardConfig,
  events: readonly { eventType?: unknown }[],
): Promise<AppGuardOutcome | undefined> {
  if (!events.some((e) => typeof e.eventType === 'string' && isAppConfigEvent(e.eventType))) return undefined;
  const outcome = await guardApp(guardDirectoryOf(deps.client), config, deps.now?.() ?? new Date());
  publishAppMetrics(deps.metrics, outcome);
  return outcome;
}

/** The findings still open after the run: all of them in report mode, what the repair left otherwise. */
export function remainingFindings(outcome: AppGuardOutcome): Finding[] {
  if (!outcome.repair) return outcome.findings;
  return [...outcome.repair.after, ...outcome.findings.filter((f) => !f.repairable)];
}
