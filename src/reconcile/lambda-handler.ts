import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Client } from '@okta/okta-sdk-nodejs';
import { createOktaClient, type OktaCredentials } from '../okta/client';
import { RateGovernor } from '../okta/rate-governor';
import { RECONCILE_METRICS } from '../telemetry';
import type { WorkQueue } from '../domain/work-queue';
import { rotatingOktaClient, type CredentialsSource } from '../okta/credentials';
import { planStopped, stopReasons } from '../domain/reconcile-plan';
import type { ReconcileLambdaConfig } from './lambda-config';
import type { FingerprintStore } from '../app-guard/fingerprint-store';
import type { FrontlineReconcileDeps } from './frontline';
import { checkAppOnEvent, remainingFindings, type AppGuardOutcome } from '../app-guard/run';
import { createGuardDirectory } from '../okta/guard-directory';
import { runScheduled, type ScheduledRunSummary } from './scheduled';
import { restoreGroupAssignments } from './assignments';
import type { MetricsSink } from './run';

/**
 * What the reconcile Lambda accepts: the EventBridge schedule (any event without `kind`), or a prompt app check
 * handed over by the receiver for `application.lifecycle.update|deactivate|delete` events.
 */
export interface AppCheckRequest {
  kind: 'app-check';
  events: { eventType?: unknown; uuid?: unknown }[];
}

export interface ReconcileHandlerDeps {
  credentials: CredentialsSource;
  queue: WorkQueue;
  metrics: Metrics;
  logger: Logger;
  /** Tests: build the Okta client differently. @default createOktaClient with a rate governor */
  buildClient?: (orgUrl: string, credentials: OktaCredentials) => Client;
  timeoutEarlyInMillis?: number;
  /**
   * The confirmed certificate in the records table (falls back to FRONTLINE_CERT_FINGERPRINT), and the IdP issuer
   * recorded with it.
   */
  fingerprints?: Pick<FingerprintStore, 'get' | 'getIdpIssuer'>;
  /** Checks leavers are deactivated in Frontline (src/reconcile/frontline.ts). @default off */
  frontline?: FrontlineReconcileDeps;
}

export function metricsSink(metrics: Metrics): MetricsSink {
  return {
    addMetric: (name, unit, value) =>
      metrics.addMetric(name, unit === 'None' ? MetricUnit.NoUnit : MetricUnit.Count, value),
  };
}

export function createReconcileHandler(config: ReconcileLambdaConfig, deps: ReconcileHandlerDeps) {
  // The run only reads, and shares the apps bucket with the worker: waiting out a (one-minute) window inline is
  // cheaper than failing the whole run, and the function has minutes to spare.
  const governor = new RateGovernor({ maxInlineWaitMs: 65_000 });
  const build =
    deps.buildClient ??
    ((orgUrl: string, credentials: OktaCredentials) =>
      createOktaClient({ orgUrl, credentials, maxRateLimitRetries: 2, governor }));
  const withOkta = rotatingOktaClient(deps.credentials, (credentials) => build(config.orgUrl, credentials));
  const sink = metricsSink(deps.metrics);
  const { logger } = deps;

  const staticAppConfig = {
    rules: config.rules,
    mode: config.mode,
    lastConfirmedFingerprint: config.confirmedFingerprint,
    expiryWarningDays: config.certificateExpiryWarningDays,
  };
  // Read per run: `check --confirm-certificate --records-table` changes it without a deploy.
  const appConfigNow = async () => ({
    ...staticAppConfig,
    lastConfirmedFingerprint:
      (await deps.fingerprints?.get(config.appId)) ?? staticAppConfig.lastConfirmedFingerprint,
    recordedIdpIssuer: await deps.fingerprints?.getIdpIssuer?.(config.appId),
  });

  function logApp(outcome: AppGuardOutcome): void {
    const open = remainingFindings(outcome);
    const entry = {
      appId: config.appId,
      mode: config.mode,
      findings: outcome.findings.map((f) => ({ path: f.path, severity: f.severity, message: f.message })),
      repaired: outcome.repair?.before.map((f) => f.path) ?? [],
      notKept: outcome.repair?.notKept.map((f) => f.path) ?? [],
      certificate: outcome.certificate && {
        kid: outcome.certificate.kid,
        fingerprintSha256: outcome.certificate.fingerprintSha256,
        daysToExpiry: outcome.certificate.daysToExpiry,
      },
    };
    if (open.length > 0) logger.warn('Frontline app needs attention', entry);
    else logger.info('Frontline app valid', entry);
  }

  async function handle(event: unknown, context: Context): Promise<unknown> {
    const appConfig = await appConfigNow();
    if (isAppCheckRequest(event)) {
      const { outcome, groups } = await withOkta(async (client) => {
        const okta = createGuardDirectory(client);
        const checked = await checkAppOnEvent(okta, { appId: config.appId, ...appConfig }, event.events, {
          metrics: sink,
        });
        // The app was deactivated and this check activated it again: in group mode the deactivation took the
        // groups' members' assignments away, and they come back now, not at the next scheduled run.
        const reactivatedGroups = await restoreGroupAssignments(
          okta,
          config.appId,
          config.policy,
          checked?.repair,
        );
        return { outcome: checked, groups: reactivatedGroups };
      });
      if (outcome) logApp(outcome);
      if (groups) logger.info('Frontline groups assigned again after the app was activated', { groups });
      return {
        kind: 'app-check',
        checked: outcome !== undefined,
        findings: outcome ? remainingFindings(outcome).length : 0,
        ...(groups
          ? { groupsAssignedAgain: groups.filter((g) => g.action === 'assigned-again').length }
          : {}),
      };
    }
    const summary: ScheduledRunSummary = await withOkta((client) =>
      runScheduled(
        // Lambda keeps the request id across its own retries of an asynchronous (scheduled) invocation, so a
        // retried run enqueues the same deduplication ids and SQS drops the repeats.
        {
          okta: createGuardDirectory(client),
          queue: deps.queue,
          metrics: sink,
          runId: context.awsRequestId,
          ...(deps.frontline ? { frontline: deps.frontline } : {}),
        },
        { appId: config.appId, policy: config.policy, app: appConfig },
      ),
    );
    if (summary.app) logApp(summary.app);
    // Only a run that got this far counts: the ReconcileNotCompleted alarm fires when two intervals pass without.
    sink.addMetric(RECONCILE_METRICS.reconcileCompleted, 'Count', 1);
    const plan = summary.plan;
    const entry = {
      runId: summary.runId,
      members: plan.counts.members,
      appUsers: plan.counts.appUsers,
      setUserType: plan.setUserType.length,
      assign: plan.assign.length,
      unassign: plan.unassign.length,
      unmanaged: plan.unmanaged.map((u) => u.userId),
      groupScoped: plan.groupScoped.length,
      skipped: plan.skipped.length,
      enqueued: summary.enqueued,
    };
    for (const assigned of summary.groupAssignments.filter((g) => g.action === 'assigned')) {
      logger.info('Frontline group assigned to the app (group mode)', { groupId: assigned.groupId });
    }
    if (summary.scope.findings.length > 0) {
      // Okta's API converts no scope: each finding carries the Admin Console remedy (src/domain/scope-guard.ts).
      logger.warn('Assignments contradict the assignment mode', {
        runId: summary.runId,
        mode: summary.scope.mode,
        findings: summary.scope.findings.map((f) => ({
          userId: f.userId,
          scope: f.scope,
          kind: f.kind,
          remedy: f.remedy,
        })),
      });
    }
    if (summary.frontline) {
      const { deactivate, guard, ...counts } = summary.frontline;
      const frontlineEntry = { runId: summary.runId, ...counts, users: deactivate.map((d) => d.userId) };
      if (guard.tripped) {
        logger.error('Frontline deactivation guard tripped: nothing deactivated', {
          ...frontlineEntry,
          allowed: guard.allowed,
        });
      } else logger.info('Frontline checked', frontlineEntry);
    }
    if (planStopped(plan))
      logger.error('Reconcile guard tripped: nothing enqueued', { ...entry, reasons: stopReasons(plan) });
    else logger.info('Reconcile planned', entry);
    return {
      kind: 'reconcile',
      runId: summary.runId,
      enqueued: summary.enqueued,
      guardTripped: planStopped(plan),
      scopeFindings: summary.scope.findings.length,
    };
  }

  return (
    middy(handle, { timeoutEarlyInMillis: deps.timeoutEarlyInMillis ?? 5 })
      // logEvent pinned off whatever POWERTOOLS_LOGGER_LOG_EVENT says: this function holds the Okta credentials.
      .use(injectLambdaContext(logger, { logEvent: false }))
      .use(logMetrics(deps.metrics))
  );
}

function isAppCheckRequest(event: unknown): event is AppCheckRequest {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as { kind?: unknown }).kind === 'app-check' &&
    Array.isArray((event as { events?: unknown }).events)
  );
}
