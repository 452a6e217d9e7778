import type { Policy } from '../src/domain/policy';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../src/telemetry';

/**
 * Every environment variable the stack gives a Lambda, by function: the same names the local runtime reads
 * (docs/configuration.md), so a setting has one name everywhere. The loaders still accept the older Lambda names
 * (LEGACY_LAMBDA_ENV_NAMES in src/config/env-schema.ts). Secrets travel as ARNs only: the functions fetch the values at cold start.
 */
export const ENV = {
  oktaOrgUrl: 'OKTA_ORG_URL',
  oktaCredentialsSecretArn: 'OKTA_CREDENTIALS_SECRET_ARN',
  groupId: 'FRONTLINE_GROUP_ID',
  groupIds: 'FRONTLINE_GROUP_IDS',
  appId: 'FRONTLINE_APP_ID',
  realmSid: 'FRONTLINE_REALM_SID',
  appLabel: 'FRONTLINE_APP_LABEL',
  workQueueUrl: 'WORK_QUEUE_URL',
  hookSecretArn: 'HOOK_SECRET_ARN',
  hookAuthHeader: 'OKTA_HOOK_AUTH_HEADER',
  maxBodyBytes: 'MAX_BODY_BYTES',
  appCheckFunctionName: 'APP_CHECK_FUNCTION_NAME',
  usernameTemplate: 'FRONTLINE_USERNAME_TEMPLATE',
  clearUserTypeOnRemoval: 'FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL',
  appCheckMode: 'APP_GUARD_MODE',
  massRemovalMaxShare: 'RECONCILE_MAX_REMOVAL_SHARE',
  massGrantMaxShare: 'RECONCILE_MAX_GRANT_SHARE',
  /** Worker and reconcile read the same switch, so both paths agree on hand-made assignments. */
  pruneUnmanaged: 'FRONTLINE_PRUNE_UNMANAGED',
  /** Worker and reconcile read the same policy, so a suspended member is treated alike on both paths. */
  suspendedPolicy: 'FRONTLINE_SUSPENDED_POLICY',
  /** Worker and reconcile read the same mode: the worker skips per-user assignments, the reconcile assigns the group. */
  assignmentMode: 'FRONTLINE_ASSIGNMENT_MODE',
  confirmedCertificateSha256: 'FRONTLINE_CERT_FINGERPRINT',
  /** The reconcile reads the window the CertificateExpiring alarm uses, so its findings and the alarm agree. */
  certificateExpiryWarningDays: 'CERTIFICATE_EXPIRY_WARNING_DAYS',
  twilioCredentialsSecretArn: 'TWILIO_CREDENTIALS_SECRET_ARN',
  recordsTableName: 'RECORDS_TABLE_NAME',
  /** The worker parks a failing item only for its last receives before the dead-letter queue. */
  maxReceiveCount: 'WORK_QUEUE_MAX_RECEIVE_COUNT',
  catchupLookback: 'FRONTLINE_CATCHUP_LOOKBACK',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

export interface ReceiverEnvInput {
  groupIds: readonly string[];
  appId: string;
  workQueueUrl: string;
  hookSecretArn: string;
  hookAuthHeader: string;
  maxBodyBytes: number;
  /** The reconcile Lambda, invoked asynchronously for a prompt app check on application.lifecycle.* events. */
  appCheckFunctionName: string;
}

export function receiverEnvironment(input: ReceiverEnvInput): Record<string, string> {
  return {
    ...groupsEnvironment(input.groupIds),
    [ENV.appId]: input.appId,
    [ENV.workQueueUrl]: input.workQueueUrl,
    [ENV.hookSecretArn]: input.hookSecretArn,
    [ENV.hookAuthHeader]: input.hookAuthHeader,
    [ENV.maxBodyBytes]: String(input.maxBodyBytes),
    [ENV.appCheckFunctionName]: input.appCheckFunctionName,
    [ENV.serviceName]: SERVICE_NAMES.receiver,
    [ENV.metricsNamespace]: METRICS_NAMESPACE,
  };
}

export interface OktaEnvInput {
  oktaOrgUrl: string;
  oktaCredentialsSecretArn: string;
  /** The resolved policy (infra/config.ts deploymentPolicy): its groups, and for the worker and reconcile all of it. */
  policy: Policy;
  appId: string;
  /** Frontline offboarding: the Twilio secret (on once ops put a value) and the table holding the identities. */
  frontline?: { twilioCredentialsSecretArn: string; recordsTableName: string };
}

/** The worker finds its queue's URL from each record's eventSourceARN. */
export interface WorkerEnvInput extends OktaEnvInput {
  /** The records table: the userType values onboarding overwrote (and, with `frontline`, the identities). */
  recordsTableName: string;
  /** The work queue's redrive `maxReceiveCount`. */
  maxReceiveCount: number;
}

export function workerEnvironment(input: WorkerEnvInput): Record<string, string> {
  return {
    ...oktaEnvironment(input),
    ...policyEnvironment(input.policy),
    [ENV.recordsTableName]: input.recordsTableName,
    [ENV.maxReceiveCount]: String(input.maxReceiveCount),
    [ENV.serviceName]: SERVICE_NAMES.worker,
    [ENV.metricsNamespace]: METRICS_NAMESPACE,
  };
}

export interface ReconcileEnvInput extends OktaEnvInput {
  workQueueUrl: string;
  realmSid: string;
  appCheckMode: 'repair' | 'report';
  appLabel: string;
  /** The certificate ops pasted into Frontline; absent means "none confirmed yet". */
  confirmedCertificateSha256: string | undefined;
  /** Where `check --confirm-certificate --records-table` records a newer confirmation. */
  recordsTableName?: string;
  /** The deployment's `certificateExpiryWarningDays` (the alarm's threshold); the function's default when absent. */
  certificateExpiryWarningDays?: number;
}

export function reconcileEnvironment(input: ReconcileEnvInput): Record<string, string> {
  return {
    ...oktaEnvironment(input),
    ...policyEnvironment(input.policy),
    [ENV.workQueueUrl]: input.workQueueUrl,
    [ENV.realmSid]: input.realmSid,
    [ENV.appCheckMode]: input.appCheckMode,
    [ENV.appLabel]: input.appLabel,
    ...(input.recordsTableName ? { [ENV.recordsTableName]: input.recordsTableName } : {}),
    ...(input.certificateExpiryWarningDays === undefined
      ? {}
      : { [ENV.certificateExpiryWarningDays]: String(input.certificateExpiryWarningDays) }),
    ...(input.confirmedCertificateSha256
      ? { [ENV.confirmedCertificateSha256]: input.confirmedCertificateSha256 }
      : {}),
    [ENV.serviceName]: SERVICE_NAMES.reconcile,
    [ENV.metricsNamespace]: METRICS_NAMESPACE,
  };
}

export interface CatchupEnvInput extends OktaEnvInput {
  workQueueUrl: string;
  recordsTableName: string;
  /** Seconds back the first run (no cursor yet) starts. */
  lookbackSeconds: number;
  /** The reconcile function, invoked for a prompt app check on `application.lifecycle.*` events found. */
  appCheckFunctionName: string;
}

export function catchupEnvironment(input: CatchupEnvInput): Record<string, string> {
  return {
    ...oktaEnvironment(input),
    [ENV.workQueueUrl]: input.workQueueUrl,
    [ENV.recordsTableName]: input.recordsTableName,
    [ENV.catchupLookback]: String(input.lookbackSeconds),
    [ENV.appCheckFunctionName]: input.appCheckFunctionName,
    [ENV.serviceName]: SERVICE_NAMES.catchup,
    [ENV.metricsNamespace]: METRICS_NAMESPACE,
  };
}

export interface BootstrapEnvInput {
  oktaOrgUrl: string;
  oktaCredentialsSecretArn: string;
}

/** The custom resource handler gets only where Okta is; everything else comes in the resource's properties. */
export function bootstrapEnvironment(input: BootstrapEnvInput): Record<string, string> {
  return {
    [ENV.oktaOrgUrl]: input.oktaOrgUrl,
    [ENV.oktaCredentialsSecretArn]: input.oktaCredentialsSecretArn,
    [ENV.serviceName]: SERVICE_NAMES.bootstrap,
  };
}

function oktaEnvironment(input: OktaEnvInput): Record<string, string> {
  return {
    [ENV.oktaOrgUrl]: input.oktaOrgUrl,
    [ENV.oktaCredentialsSecretArn]: input.oktaCredentialsSecretArn,
    ...groupsEnvironment(input.policy.groupIds),
    [ENV.appId]: input.appId,
    ...(input.frontline
      ? {
          [ENV.twilioCredentialsSecretArn]: input.frontline.twilioCredentialsSecretArn,
          [ENV.recordsTableName]: input.frontline.recordsTableName,
        }
      : {}),
  };
}

/** The Frontline groups: one as FRONTLINE_GROUP_ID (as before several were possible), more as FRONTLINE_GROUP_IDS. */
function groupsEnvironment(groupIds: readonly string[]): Record<string, string> {
  return groupIds.length === 1 && groupIds[0]
    ? { [ENV.groupId]: groupIds[0] }
    : { [ENV.groupIds]: groupIds.join(',') };
}

/** The whole policy, as src/config/policy-env.ts reads it back (the groups come with oktaEnvironment). */
function policyEnvironment(policy: Policy): Record<string, string> {
  return {
    ...(policy.pinnedUserNameTemplate === undefined
      ? {}
      : { [ENV.usernameTemplate]: policy.pinnedUserNameTemplate }),
    [ENV.clearUserTypeOnRemoval]: String(policy.clearUserTypeOnRemoval),
    [ENV.pruneUnmanaged]: String(policy.pruneUnmanaged),
    [ENV.suspendedPolicy]: policy.suspendedPolicy,
    [ENV.assignmentMode]: policy.assignmentMode,
    [ENV.massRemovalMaxShare]: String(policy.maxRemovalShare),
    [ENV.massGrantMaxShare]: String(policy.maxGrantShare),
  };
}

/** Env names that would carry a secret's value; the stack must only ever set the `…_ARN` forms. */
export const FORBIDDEN_SECRET_ENV_NAMES = [
  'OKTA_API_TOKEN',
  'OKTA_PRIVATE_KEY',
  'OKTA_HOOK_SECRET',
  'OKTA_HOOK_SECRET_PREVIOUS',
  'HOOK_SECRET',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_API_SECRET',
] as const;
