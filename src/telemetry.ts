/**
 * The telemetry contract, one module for the handlers that publish and for infra/ that alarms and graphs: the
 * metrics namespace, each function's Powertools service name and the custom metric names. It imports nothing, so
 * `cdk synth` can read it without loading the Okta SDK. Metrics go out as EMF log lines (no PutMetricData
 * permission); an alarm on an EMF metric matches the exact dimension set, so every metric carries only
 * Powertools' `service` dimension.
 */
export const METRICS_NAMESPACE = 'FrontlineProvisioner';

/** `POWERTOOLS_SERVICE_NAME` of each function; Powertools adds it as the `service` dimension. */
export const SERVICE_NAMES = {
  receiver: 'frontline-event-hook',
  worker: 'frontline-provision-user',
  reconcile: 'frontline-reconcile',
  bootstrap: 'frontline-okta-bootstrap',
} as const;

/**
 * Published by the reconcile (service `SERVICE_NAMES.reconcile`). The app metrics come with every scheduled run
 * and every prompt app check, zeros included; the plan metrics and `reconcileCompleted` with every scheduled run.
 */
export const RECONCILE_METRICS = {
  /** Count. App config findings (repairable ones, before any repair). Alarm: > 0. */
  appFindings: 'AppConfigFindings',
  /** Count. Findings of severity breaks-sso, config and certificate. */
  appBreaksSso: 'AppConfigBreaksSso',
  /** Count, 0/1. A repair ran and Okta did not keep a value (or the app is missing). Alarm: ≥ 1. */
  appRepairFailed: 'AppRepairFailed',
  /** None (days). Days until the active signing certificate expires. Alarm: < certificateExpiryWarningDays. */
  certDaysToExpiry: 'CertificateDaysToExpiry',
  /** Count, 0/1. The active certificate differs from the confirmed fingerprint. Alarm: ≥ 1. */
  certChanged: 'CertificateChanged',
  /** Count. Planned changes (set userType + assign + unassign) handed to the worker. */
  plannedChanges: 'ReconcilePlannedChanges',
  plannedAssign: 'ReconcilePlannedAssign',
  plannedUnassign: 'ReconcilePlannedUnassign',
  plannedSetUserType: 'ReconcilePlannedSetUserType',
  /** Count. Hand-assigned users outside the group. */
  unmanaged: 'ReconcileUnmanagedUsers',
  /** Count, 0/1. The mass-removal guard refused the run. Alarm: ≥ 1. */
  guardTrips: 'ReconcileGuardTrips',
  /** Count. Work items accepted by the worker queue. */
  enqueued: 'ReconcileEnqueued',
  /** Count, 1 per scheduled run that finished (guard trips included). Alarm: missing for two intervals. */
  reconcileCompleted: 'ReconcileCompleted',
} as const;

export type ReconcileMetricName = (typeof RECONCILE_METRICS)[keyof typeof RECONCILE_METRICS];
