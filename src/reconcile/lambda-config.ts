import { z } from 'zod';
import {
  ComponentConfigError,
  oktaLambdaEnvShape,
  optionalString,
  problemsOf,
  requiredString,
  withLegacyNames,
} from '../config/env-schema';
import { desiredAppConfig, DEFAULT_APP_LABEL, type AppConfigRules } from '../domain/app-config';
import { RealmSidError } from '../domain/errors';
import {
  DEFAULT_ASSIGNMENT_MODE,
  DEFAULT_SUSPENDED_POLICY,
  type AssignmentMode,
  type SuspendedPolicy,
} from '../domain/desired-state';
import { assignmentModeFlag, suspendedPolicyFlag } from '../worker/lambda-config';
import { DEFAULT_USERNAME_TEMPLATE, userNameTemplateProblem } from '../domain/username-template';

/** The scheduled reconcile Lambda's settings, named as the infrastructure sets them. */
export interface ReconcileLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
  appId: string;
  groupId: string;
  workQueueUrl: string;
  rules: AppConfigRules;
  userNameTemplate: string;
  mode: 'repair' | 'report';
  /** The certificate fingerprint last pasted into Frontline (see src/guard/state-file.ts). */
  confirmedFingerprint: string | undefined;
  /** The records table holding the confirmed certificate (`check --confirm-certificate --records-table`). */
  recordsTableName: string | undefined;
  prune: boolean;
  suspendedPolicy: SuspendedPolicy;
  assignmentMode: AssignmentMode;
  maxRemovalShare: number;
}

export class ReconcileConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('reconcile', problems);
    this.name = 'ReconcileConfigError';
  }
}

const optional = optionalString;
const required = requiredString;

export const ReconcileEnvSchema = z.object({
  ...oktaLambdaEnvShape,
  FRONTLINE_REALM_SID: required('the Frontline Realm SID, JB…'),
  WORK_QUEUE_URL: required('the worker’s SQS FIFO queue URL'),
  FRONTLINE_APP_LABEL: optional,
  APP_GUARD_MODE: optional.pipe(
    z.enum(['repair', 'report'], { error: 'must be "repair" or "report"' }).optional(),
  ),
  FRONTLINE_CERT_FINGERPRINT: optional,
  RECORDS_TABLE_NAME: optional,
  FRONTLINE_SUSPENDED_POLICY: suspendedPolicyFlag,
  FRONTLINE_ASSIGNMENT_MODE: assignmentModeFlag,
  RECONCILE_MAX_REMOVAL_SHARE: optional.pipe(z.coerce.number<string | undefined>().min(0).max(1).optional()),
});

/** Reads the Lambda's environment once (cold start); throws naming every bad variable, never echoing a value. */
export function loadReconcileLambdaConfig(env: NodeJS.ProcessEnv): ReconcileLambdaConfig {
  const parsed = ReconcileEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const template =
    (parsed.success ? parsed.data.FRONTLINE_USERNAME_TEMPLATE : undefined) ?? DEFAULT_USERNAME_TEMPLATE;
  const templateProblem = userNameTemplateProblem(template, 'FRONTLINE_USERNAME_TEMPLATE');
  if (templateProblem) problems.push(templateProblem);
  let rules: AppConfigRules | undefined;
  if (parsed.success) {
    try {
      rules = desiredAppConfig(parsed.data.FRONTLINE_REALM_SID, {
        label: parsed.data.FRONTLINE_APP_LABEL ?? DEFAULT_APP_LABEL,
        // Only a template set explicitly pins the app's; otherwise the app's own is the admin's choice.
        userNameTemplate: parsed.data.FRONTLINE_USERNAME_TEMPLATE,
      });
    } catch (err) {
      if (!(err instanceof RealmSidError)) throw err;
      problems.push('FRONTLINE_REALM_SID must be "JB" followed by 32 hex digits');
    }
  }
  if (!parsed.success || !rules || problems.length > 0) throw new ReconcileConfigError(problems);
  const d = parsed.data;
  return {
    orgUrl: d.OKTA_ORG_URL.replace(/\/+$/, ''),
    credentialsSecretArn: d.OKTA_CREDENTIALS_SECRET_ARN,
    appId: d.FRONTLINE_APP_ID,
    groupId: d.FRONTLINE_GROUP_ID,
    workQueueUrl: d.WORK_QUEUE_URL,
    rules,
    userNameTemplate: template,
    mode: d.APP_GUARD_MODE ?? 'report',
    confirmedFingerprint: d.FRONTLINE_CERT_FINGERPRINT,
    recordsTableName: d.RECORDS_TABLE_NAME,
    prune: d.FRONTLINE_PRUNE_UNMANAGED === 'true',
    suspendedPolicy: d.FRONTLINE_SUSPENDED_POLICY ?? DEFAULT_SUSPENDED_POLICY,
    assignmentMode: d.FRONTLINE_ASSIGNMENT_MODE ?? DEFAULT_ASSIGNMENT_MODE,
    maxRemovalShare: d.RECONCILE_MAX_REMOVAL_SHARE ?? 0.1,
  };
}
