/**
 * Names of the custom metrics the Lambdas publish (Powertools Metrics, as EMF log lines: no PutMetricData
 * permission needed) and the alarms and dashboard read. They mirror `GUARD_METRICS` in src/guard/scheduled.ts and
 * the namespace in lambdas/reconcile.ts (test/infra/metric-names.test.ts keeps them equal) without importing that
 * code, which would load the Okta SDK into every `cdk synth`. An alarm on an EMF metric matches the exact
 * dimension set, so the handlers publish these with only Powertools' `service` dimension.
 */
export const METRICS_NAMESPACE = 'FrontlineProvisioner';

/** `POWERTOOLS_SERVICE_NAME` of each function; Powertools adds it as the `service` dimension. */
export const SERVICE_NAMES = {
  receiver: 'frontline-event-hook',
  worker: 'frontline-provision-user',
  reconcile: 'frontline-reconcile',
} as const;

/** Published by the scheduled reconcile (service `SERVICE_NAMES.reconcile`) on every run, zeros included. */
export const RECONCILE_METRICS = {
  /** Findings from the SAML app check (before any repair); 0 when the app is valid. */
  appConfigFindings: 'AppConfigFindings',
  /** Findings that break SSO. */
  appConfigBreaksSso: 'AppConfigBreaksSso',
  /** 1 when a repair ran and Okta did not keep a value, or the app is missing. */
  appRepairFailed: 'AppRepairFailed',
  /** 1 when the active signing certificate differs from the confirmed one. */
  certificateChanged: 'CertificateChanged',
  /** Days until the active signing certificate expires. */
  certificateDaysToExpiry: 'CertificateDaysToExpiry',
  /** 1 when the mass-removal guard stopped a run. */
  massRemovalGuardTrips: 'ReconcileGuardTrips',
  /** Per-user changes the run planned. */
  plannedChanges: 'ReconcilePlannedChanges',
  /** Work items the run handed to the work queue. */
  enqueued: 'ReconcileEnqueued',
  /** Users assigned to the app by hand, outside the group. */
  unmanagedUsers: 'ReconcileUnmanagedUsers',
} as const;
