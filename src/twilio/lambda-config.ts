// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the bundles never use.
import * as z from 'zod';
import { optionalString, problemsOf } from '../config/env-schema';
import { DEFAULT_FRONTLINE_API_URL, FrontlineConfigError, frontlineApiUrlEnv } from './config';

/** Where the worker and the reconcile Lambdas find the Twilio credentials and the identity records. */
export type FrontlineLambdaConfig =
  | { enabled: false }
  | { enabled: true; credentialsSecretArn: string; recordsTableName: string; apiUrl: string };

/** The Frontline variables of the worker and the reconcile, with their descriptions (docs/configuration.md). */
export const FrontlineLambdaEnvSchema = z
  .object({
    TWILIO_CREDENTIALS_SECRET_ARN: optionalString.describe(
      'ARN of the Secrets Manager secret holding the Twilio credentials (account SID with an auth token, or with ' +
        'an API key SID and secret). Ending leavers’ Frontline sessions is on once it holds a value; unset: off.',
    ),
    RECORDS_TABLE_NAME: optionalString.describe(
      'The records table holding the Frontline identities; required with TWILIO_CREDENTIALS_SECRET_ARN.',
    ),
    FRONTLINE_API_URL: frontlineApiUrlEnv,
  })
  .superRefine((env, ctx) => {
    if (env.TWILIO_CREDENTIALS_SECRET_ARN !== undefined && env.RECORDS_TABLE_NAME === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECORDS_TABLE_NAME'],
        message: 'is required with TWILIO_CREDENTIALS_SECRET_ARN (the records table holding the identities)',
      });
    }
  });

/**
 * Reads the Frontline part of a Lambda's environment once (cold start). The stack always sets the secret's ARN;
 * whether offboarding is on is the secret's value (see ./secret-users.ts). Without the ARN it is off.
 */
export function loadFrontlineLambdaConfig(env: NodeJS.ProcessEnv): FrontlineLambdaConfig {
  const parsed = FrontlineLambdaEnvSchema.safeParse(env);
  if (!parsed.success) throw new FrontlineConfigError(problemsOf(parsed.error));
  const d = parsed.data;
  if (d.TWILIO_CREDENTIALS_SECRET_ARN === undefined || d.RECORDS_TABLE_NAME === undefined) {
    return { enabled: false };
  }
  return {
    enabled: true,
    credentialsSecretArn: d.TWILIO_CREDENTIALS_SECRET_ARN,
    recordsTableName: d.RECORDS_TABLE_NAME,
    apiUrl: d.FRONTLINE_API_URL ?? DEFAULT_FRONTLINE_API_URL,
  };
}
