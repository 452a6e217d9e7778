/**
 * Names of the custom metrics the Lambdas publish (Powertools Metrics, as EMF log lines) and the alarms and
 * dashboard read. One place, so a rename in a handler is one edit here. An alarm on an EMF metric matches the
 * exact dimension set, so the handlers must publish these with only the `service` dimension shown here.
 */
export const METRICS_NAMESPACE = 'FrontlineOktaProvisioner';

/** `POWERTOOLS_SERVICE_NAME` of each function; Powertools adds it as the `service` dimension. */
export const SERVICE_NAMES = {
  receiver: 'frontline-event-hook',
  worker: 'frontline-provision-user',
  reconcile: 'frontline-reconcile',
} as const;

/** Published by the scheduled reconcile (service `SERVICE_NAMES.reconcile`). */
export const RECONCILE_METRICS = {
  /** Count of findings from the SAML app check on this run (0 when the app is valid). */
  appConfigFindings: 'AppConfigFindings',
  /** 1 when the active signing certificate differs from the last confirmed one. */
  certificateChanged: 'CertificateChanged',
  /** Days until the active signing certificate expires. */
  certificateDaysToExpiry: 'CertificateDaysToExpiry',
  /** 1 when the mass-removal guard stopped a run. */
  massRemovalGuardTrips: 'MassRemovalGuardTrips',
  /** Per-user changes the run handed to the work queue. */
  plannedChanges: 'PlannedChanges',
} as const;
