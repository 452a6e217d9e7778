import { z } from 'zod';
import {
  ComponentConfigError,
  oktaLambdaEnvShape,
  optionalString,
  problemsOf,
  requiredString,
  withLegacyNames,
} from '../config/env-schema';
import { GROUP_REQUIRED, groupIdsOf, policyEnvShape } from '../config/policy-env';

/** The catch-up Lambda's settings, named as the infrastructure sets them (infra/lambda-env.ts `ENV`). */
export interface CatchupLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
  appId: string;
  /** The Frontline groups whose membership events are work. */
  groupIds: readonly string[];
  workQueueUrl: string;
  recordsTableName: string;
  /** The first run (no cursor in the table) starts this far back. @default 900 */
  lookbackSeconds: number;
  /** The event hook whose health each run reports. */
  hookName: string;
  /** The reconcile function to invoke for a prompt app check; unset: the hourly run covers those events. */
  appCheckFunctionName: string | undefined;
}

export class CatchupConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('catch-up', problems);
    this.name = 'CatchupConfigError';
  }
}

export const CatchupEnvSchema = z.object({
  ...oktaLambdaEnvShape,
  FRONTLINE_GROUP_ID: policyEnvShape.FRONTLINE_GROUP_ID,
  FRONTLINE_GROUP_IDS: policyEnvShape.FRONTLINE_GROUP_IDS,
  WORK_QUEUE_URL: requiredString('the worker’s SQS FIFO queue URL'),
  RECORDS_TABLE_NAME: requiredString('the records table holding the catch-up cursor'),
  // Okta refuses a `since` more than 180 days back (E0000053).
  FRONTLINE_CATCHUP_LOOKBACK: optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: 'must be a number of seconds' })
      .min(1)
      .max(180 * 86_400)
      .optional(),
  ),
  FRONTLINE_HOOK_NAME: optionalString,
  APP_CHECK_FUNCTION_NAME: optionalString,
});

/** Reads the Lambda's environment once (cold start); throws naming every bad variable, never echoing a value. */
export function loadCatchupLambdaConfig(
  env: NodeJS.ProcessEnv,
  defaultHookName: string,
): CatchupLambdaConfig {
  const parsed = CatchupEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const groupIds = parsed.success ? groupIdsOf(parsed.data) : [];
  if (parsed.success && groupIds.length === 0) problems.push(GROUP_REQUIRED);
  if (!parsed.success || problems.length > 0) throw new CatchupConfigError(problems);
  const d = parsed.data;
  return {
    orgUrl: d.OKTA_ORG_URL.replace(/\/+$/, ''),
    credentialsSecretArn: d.OKTA_CREDENTIALS_SECRET_ARN,
    appId: d.FRONTLINE_APP_ID,
    groupIds,
    workQueueUrl: d.WORK_QUEUE_URL,
    recordsTableName: d.RECORDS_TABLE_NAME,
    lookbackSeconds: d.FRONTLINE_CATCHUP_LOOKBACK ?? 900,
    hookName: d.FRONTLINE_HOOK_NAME ?? defaultHookName,
    appCheckFunctionName: d.APP_CHECK_FUNCTION_NAME,
  };
}
