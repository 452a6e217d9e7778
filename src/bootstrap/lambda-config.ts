import * as z from 'zod';
import { ComponentConfigError, problemsOf, requiredString } from '../config/env-schema';

/** The bootstrap Lambda's settings: only where Okta is; everything else comes in the resources' properties. */
export interface BootstrapLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
}

export class BootstrapConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('bootstrap', problems);
    this.name = 'BootstrapConfigError';
  }
}

export const BootstrapEnvSchema = z.object({
  OKTA_ORG_URL: requiredString('the Okta org URL').pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://example.okta.com' }),
  ),
  OKTA_CREDENTIALS_SECRET_ARN: requiredString(
    'the Secrets Manager secret holding the Okta API token or service-app key',
  ),
});

/** Reads the environment once (cold start); throws naming every bad variable. */
export function loadBootstrapLambdaConfig(env: NodeJS.ProcessEnv): BootstrapLambdaConfig {
  const parsed = BootstrapEnvSchema.safeParse(env);
  if (!parsed.success) throw new BootstrapConfigError(problemsOf(parsed.error));
  return {
    orgUrl: parsed.data.OKTA_ORG_URL.replace(/\/+$/, ''),
    credentialsSecretArn: parsed.data.OKTA_CREDENTIALS_SECRET_ARN,
  };
}
