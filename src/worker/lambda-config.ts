import { z } from 'zod';
import {
  ComponentConfigError,
  oktaLambdaEnvShape,
  problemsOf,
  requiredString,
  withLegacyNames,
  oktaLambdaSettingsOf,
} from '../config/env-schema';
import { policyEnvShape, readPolicy } from '../config/policy-env';
import type { Policy } from '../domain/policy';
import { PARKED_RECEIVES } from './outage-hold';

/** The provisioning worker Lambda's settings, named as the infrastructure sets them. */
export interface WorkerLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
  appId: string;
  policy: Policy;
  /** The records table: the roles onboarding overwrote (src/dynamodb/user-type-memory.ts). */
  recordsTableName: string;
  /** The work queue's `maxReceiveCount`: how long a failing item may be held before it parks (./outage-hold.ts). */
  maxReceiveCount: number;
}

export class WorkerConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('worker', problems);
    this.name = 'WorkerConfigError';
  }
}

export const WorkerEnvSchema = z.object({
  ...oktaLambdaEnvShape,
  ...policyEnvShape,
  RECORDS_TABLE_NAME: requiredString('the records table').describe(
    'The records table holding the userType values onboarding overwrote, put back on removal. Required.',
  ),
  WORK_QUEUE_MAX_RECEIVE_COUNT: requiredString('the work queue’s maxReceiveCount')
    .pipe(z.coerce.number<string>().int().min(1).max(1000, 'must be a whole number from 1 to 1000'))
    .describe(
      'The work queue’s maxReceiveCount, as the stack sets it: a failing item is held and retried within seconds ' +
        `until its last ${PARKED_RECEIVES} receives, which back off exponentially. Required.`,
    ),
});

/** Reads the worker's environment once (cold start); throws naming every bad variable, never echoing a value. */
export function loadWorkerLambdaConfig(env: NodeJS.ProcessEnv): WorkerLambdaConfig {
  const parsed = WorkerEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const policy = readPolicy(withLegacyNames(env), problems, { requireGroup: true });
  if (!parsed.success || !policy || problems.length > 0) throw new WorkerConfigError(problems);
  const d = parsed.data;
  return {
    ...oktaLambdaSettingsOf(d),
    policy,
    recordsTableName: d.RECORDS_TABLE_NAME,
    maxReceiveCount: d.WORK_QUEUE_MAX_RECEIVE_COUNT,
  };
}
