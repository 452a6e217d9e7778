import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaAppCheckTrigger } from '../src/receiver/app-check-trigger';
import { loadReceiverConfig } from '../src/receiver/config';
import { createEventHookHandler } from '../src/receiver/lambda-handler';
import { SERVICE_NAMES } from '../src/telemetry';

/*
 * The Okta event hook receiver behind API Gateway (HTTP API, payload v2). It must answer within Okta's 3 seconds,
 * so it loads nothing heavy: no Okta SDK, only SQS, Secrets Manager, zod and the logger.
 */

// Cold start: configuration and clients once, reused by every invocation of this instance.
const config = loadReceiverConfig(process.env);
const logger = new Logger({ serviceName: SERVICE_NAMES.receiver });

// Okta gives up after 3 s. Bounded attempts and timeouts make a stuck AWS call end in a logged 503 (which Okta
// retries) instead of a silent Lambda timeout: at worst 2 attempts × 1 s per call.
const clientOptions = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 500, requestTimeout: 1000 },
};

export const handler = createEventHookHandler(config, {
  sqs: new SQSClient(clientOptions),
  secretsManager: new SecretsManagerClient(clientOptions),
  logger,
  // application.lifecycle.* events for the Frontline app: a prompt app check by the reconcile Lambda.
  ...(config.appCheckFunctionName
    ? {
        onAppConfigEvents: lambdaAppCheckTrigger(
          new LambdaClient(clientOptions),
          config.appCheckFunctionName,
        ),
      }
    : {}),
});
