import { z } from 'zod';
import {
  ComponentConfigError,
  oktaLambdaEnvShape,
  optionalString,
  problemsOf,
  requiredString,
  withLegacyNames,
  oktaLambdaSettingsOf,
} from '../config/env-schema';
import { EVENT_HOOK_NAME } from '../bootstrap/resource-types';
import { policyEnvShape, readGroupIds } from '../config/policy-env';

/** The catch-up Lambda's settings, named as the infrastructure sets them (infra/lambda-env.ts `ENV`). */
export interface CatchupLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
  appId: string;
  /** The Frontline groups whose membership events are work. */
  groupIds: readonly string[];
  workQueueUrl: string;
  recordsTableName: string;
  /** The first run (no cursor in the table) starts this far back. Default: CATCHUP_LAMBDA_DEFAULTS. */
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

/** The default loadCatchupLambdaConfig applies, quoted by CatchupEnvSchema's description. */
export const CATCHUP_LAMBDA_DEFAULTS = { lookbackSeconds: 900 } as const;

/** The catch-up Lambda's variables, each with its description (docs/configuration.md: `npm run docs`). */
export const CatchupEnvSchema = z.object({
  ...oktaLambdaEnvShape,
  FRONTLINE_GROUP_ID: policyEnvShape.FRONTLINE_GROUP_ID,
  FRONTLINE_GROUP_IDS: policyEnvShape.FRONTLINE_GROUP_IDS,
  WORK_QUEUE_URL: requiredString('the worker’s SQS FIFO queue URL').describe(
    'The worker’s SQS FIFO queue, where the events found become work items. Required.',
  ),
  RECORDS_TABLE_NAME: requiredString('the records table holding the catch-up cursor').describe(
    'The records table holding the catch-up cursor. Required.',
  ),
  // Okta refuses a `since` more than 180 days back (E0000053).
  FRONTLINE_CATCHUP_LOOKBACK: optionalString
    .pipe(
      z.coerce
        .number<string | undefined>({ error: 'must be a number of seconds' })
        .min(1)
        .max(180 * 86_400)
        .optional(),
    )
    .describe(
      'How far back, in seconds, the first run starts when the table holds no cursor yet (at most 180 days). ' +
        `Default: \`${CATCHUP_LAMBDA_DEFAULTS.lookbackSeconds}\`.`,
    ),
  FRONTLINE_HOOK_NAME: optionalString.describe(
    `The event hook whose health each run reports. Default: \`${EVENT_HOOK_NAME}\` (the bootstrap's hook).`,
  ),
  APP_CHECK_FUNCTION_NAME: optionalString.describe(
    'The reconcile function invoked (asynchronously) for a prompt app check on the app’s lifecycle events. ' +
      'Unset: the next scheduled reconcile covers them.',
  ),
});

/** Reads the Lambda's environment once (cold start); throws naming every bad variable, never echoing a value. */
export function loadCatchupLambdaConfig(
  env: NodeJS.ProcessEnv,
  defaultHookName: string,
): CatchupLambdaConfig {
  const parsed = CatchupEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const groupIds = readGroupIds(withLegacyNames(env), problems);
  if (!parsed.success || problems.length > 0) throw new CatchupConfigError(problems);
  const d = parsed.data;
  return {
    ...oktaLambdaSettingsOf(d),
    groupIds,
    workQueueUrl: d.WORK_QUEUE_URL,
    recordsTableName: d.RECORDS_TABLE_NAME,
    lookbackSeconds: d.FRONTLINE_CATCHUP_LOOKBACK ?? CATCHUP_LAMBDA_DEFAULTS.lookbackSeconds,
    hookName: d.FRONTLINE_HOOK_NAME ?? defaultHookName,
    appCheckFunctionName: d.APP_CHECK_FUNCTION_NAME,
  };
}
