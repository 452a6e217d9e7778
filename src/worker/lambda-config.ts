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

/** The provisioning worker Lambda's settings, named as the infrastructure sets them. */
export interface WorkerLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
  appId: string;
  policy: Policy;
  /** The records table: the roles onboarding overwrote (src/dynamodb/user-type-memory.ts). */
  recordsTableName: string;
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
  };
}
