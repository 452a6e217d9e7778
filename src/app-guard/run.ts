import type { AppConfigRules, Finding } from '../domain/app-config';
import { isAppConfigEvent } from '../domain/hook-events';
import type { CertificateInfo } from '../domain/signing-certificate';
import { OktaPermanentError } from '../okta/errors';
import { RECONCILE_METRICS } from '../telemetry';
import { checkApp, TARGET_PATH } from './check';
import type { GuardDirectory, RawApp } from './okta-port';
import { repairApp, type RepairResult } from './repair';

/** Where metrics go: Powertools Metrics on Lambda, nothing locally, a recorder in tests. */
export interface AppMetricsSink {
  addMetric(name: string, unit: 'Count' | 'None', value: number): void;
}

export interface AppGuardConfig {
  appId: string;
  rules: AppConfigRules;
  /** `repair`: fix drift and verify; `report`: only publish findings. */
  mode: 'repair' | 'report';
  lastConfirmedFingerprint: string | undefined;
  /** The IdP issuer recorded with that certificate: any other is breaks-sso, and a repair puts it back. */
  recordedIdpIssuer?: string | undefined;
  /** The certificate-expiry warning window in days (CERTIFICATE_EXPIRY_WARNING_DAYS); its default when absent. */
  expiryWarningDays?: number | undefined;
}

export interface AppGuardOutcome {
  /**
   * The app as the check read it (before a repair), for the reconcile that follows, which then need not read it
   * again; undefined when it was deleted.
   */
  app: RawApp | undefined;
  findings: Finding[];
  certificate: CertificateInfo | undefined;
  repair: RepairResult | undefined;
  missing: boolean;
}

/**
 * The app check of a scheduled run or a prompt check: check the app against the rules (repairing it when so
 * configured) and publish the app metrics. A deleted app is a finding, not an error.
 */
export async function guardApp(
  okta: GuardDirectory,
  config: AppGuardConfig,
  deps: { metrics: AppMetricsSink; now: Date },
): Promise<AppGuardOutcome> {
  const outcome = await checkOrRepair(okta, config, deps.now);
  publishAppMetrics(deps.metrics, outcome);
  return outcome;
}

async function checkOrRepair(
  okta: GuardDirectory,
  config: AppGuardConfig,
  now: Date,
): Promise<AppGuardOutcome> {
  try {
    const checked = await checkApp(okta, {
      appId: config.appId,
      rules: config.rules,
      lastConfirmedFingerprint: config.lastConfirmedFingerprint,
      recordedIdpIssuer: config.recordedIdpIssuer,
      now,
      expiryWarningDays: config.expiryWarningDays,
    });
    let repair: RepairResult | undefined;
    // An app that is not Frontline's is reported, never repaired: adopting it is the operator's explicit call.
    const foreign = checked.findings.some((f) => f.path === TARGET_PATH);
    if (config.mode === 'repair' && !foreign && checked.findings.some((f) => f.repairable)) {
      repair = await repairApp(okta, {
        appId: config.appId,
        rules: config.rules,
        recordedIdpIssuer: config.recordedIdpIssuer,
      });
    }
    return {
      app: checked.app,
      findings: checked.findings,
      certificate: checked.certificate,
      repair,
      missing: false,
    };
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
      return { app: undefined, findings, certificate: undefined, repair: undefined, missing: true };
    }
    throw err;
  }
}

function publishAppMetrics(metrics: AppMetricsSink, app: AppGuardOutcome): void {
  const config = app.findings.filter((f) => f.repairable);
  metrics.addMetric(RECONCILE_METRICS.appFindings, 'Count', config.length);
  metrics.addMetric(
    RECONCILE_METRICS.appBreaksSso,
    'Count',
    app.findings.filter((f) => f.severity === 'breaks-sso').length,
  );
  metrics.addMetric(
    RECONCILE_METRICS.appRepairFailed,
    'Count',
    app.missing || (app.repair && !app.repair.ok) ? 1 : 0,
  );
  if (app.certificate) {
    metrics.addMetric(RECONCILE_METRICS.certDaysToExpiry, 'None', app.certificate.daysToExpiry);
    metrics.addMetric(
      RECONCILE_METRICS.certChanged,
      'Count',
      app.findings.some((f) => f.path === 'credentials.signing.kid') ? 1 : 0,
    );
  }
}

/**
 * The prompt check after an admin changed, deactivated or deleted the Frontline app (the receiver's
 * `appConfigEvents`): the app part of the scheduled run only (two or three calls; a repair adds a PUT and a GET).
 * Several events in one delivery cost one check. Events for other types are ignored (resolves to undefined).
 */
export async function checkAppOnEvent(
  okta: GuardDirectory,
  config: AppGuardConfig,
  events: readonly { eventType?: unknown }[],
  deps: { metrics: AppMetricsSink; now?: Date },
): Promise<AppGuardOutcome | undefined> {
  if (!events.some((e) => typeof e.eventType === 'string' && isAppConfigEvent(e.eventType))) return undefined;
  return guardApp(okta, config, { metrics: deps.metrics, now: deps.now ?? new Date() });
}

/** The findings still open after the run: all of them in report mode, what the repair left otherwise. */
export function remainingFindings(outcome: AppGuardOutcome): Finding[] {
  if (!outcome.repair) return outcome.findings;
  return [...outcome.repair.after, ...outcome.findings.filter((f) => !f.repairable)];
}
