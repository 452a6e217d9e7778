import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { setupApp } from '../app-guard/setup';
import { createOktaClient, OKTA_SCOPES } from '../okta/client';
import { createGuardDirectory } from '../okta/guard-directory';
import { registerEventHook } from '../okta/event-hooks';
import { parseOktaCredentialsSecret } from '../secrets/okta-credentials';
import { SERVICE_NAMES } from '../telemetry';
import { BootstrapError } from './errors';
import type { BootstrapDeps } from './handler';
import type { BootstrapLambdaConfig } from './lambda-config';
import { BOOTSTRAP_TIMEOUTS } from './resource-types';

/** Wiring for Lambda: Secrets Manager for both secrets, the Okta client built from the credentials on first need. */
export function bootstrapLambdaDeps(
  config: BootstrapLambdaConfig,
  secretsManager: SecretsManagerClient,
): BootstrapDeps {
  const readSecret = async (arn: string): Promise<string> => {
    const response = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
    if (response.SecretString === undefined) throw new BootstrapError(`secret ${arn} has no string value`);
    return response.SecretString;
  };
  return {
    okta: async () => {
      const parsed = parseOktaCredentialsSecret(
        await readSecret(config.credentialsSecretArn),
        OKTA_SCOPES,
        'Okta credentials secret (put it first: docs/deploy.md)',
      );
      // A deploy can wait out one rate-limit reset; BOOTSTRAP_TIMEOUTS says why the handler's timeout allows it.
      return createOktaClient({
        orgUrl: parsed.orgUrl ?? config.orgUrl,
        credentials: parsed.credentials,
        maxRateLimitRetries: 1,
        requestTimeoutMs: BOOTSTRAP_TIMEOUTS.oktaRequestMs,
      });
    },
    readSecret,
    setupApp: (client, input) => setupApp(createGuardDirectory(client), input),
    registerEventHook,
    logger: new Logger({ serviceName: SERVICE_NAMES.bootstrap }),
    now: () => new Date(),
  };
}
