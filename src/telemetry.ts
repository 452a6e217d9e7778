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
  catchup: 'frontline-catchup',
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
  /**
   * Count, 0/1. The mass-grant guard refused the run: it would grant Frontline to more of the groups' members than a
   * run may, or to the user running it. Alarm: ≥ 1 (a wrong group or app id, or the first backfill not yet confirmed).
   */
  grantGuardTrips: 'ReconcileGrantGuardTrips',
  /** Count. Work items accepted by the worker queue. */
  enqueued: 'ReconcileEnqueued',
  /** Count. Assignments whose scope contradicts the assignment mode (src/domain/scope-guard.ts). Alarm: > 0. */
  scopeFindings: 'AssignmentScopeFindings',
  /** Count, 1 per scheduled run that finished (guard trips included). Alarm: missing for two intervals. */
  reconcileCompleted: 'ReconcileCompleted',
} as const;

export type ReconcileMetricName = (typeof RECONCILE_METRICS)[keyof typeof RECONCILE_METRICS];

/** Published by the System Log catch-up (service `SERVICE_NAMES.catchup`) with every run, zeros included. */
export const CATCHUP_METRICS = {
  /** Count. System Log events read (subscribed types and failed deliveries). */
  events: 'CatchupEvents',
  /** Count. Work items handed to the worker queue. */
  enqueued: 'CatchupEnqueued',
  /** Count. `event_hook.delivery` events: hook deliveries Okta reports as failed. */
  failedDeliveries: 'HookDeliveryFailures',
  /** Count, 0/1. A full page or the logs bucket's budget ended the run before the log's end. */
  backlog: 'CatchupBacklog',
  /** Count, 0/1. Our event hook is missing, INACTIVE, or UNVERIFIED after a re-verify. Alarm: ≥ 1. */
  hookUnhealthy: 'EventHookUnhealthy',
  /** Count, 0/1. An UNVERIFIED hook was verified again by this run. */
  hookReverified: 'EventHookReverified',
  /** Count, 1 per run that finished. Alarm: missing for five minutes. */
  completed: 'CatchupCompleted',
} as const;

export type CatchupMetricName = (typeof CATCHUP_METRICS)[keyof typeof CATCHUP_METRICS];
