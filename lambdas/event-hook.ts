import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadReceiverConfig } from '../src/receiver/config';
import { createEventHookHandler } from '../src/receiver/lambda-handler';

/*
 * The Okta event hook receiver behind API Gateway (HTTP API, payload v2). It must answer within Okta's 3 seconds,
 * so it loads nothing heavy: no Okta SDK, only SQS, Secrets Manager, zod and the logger.
 */

// Cold start: configuration and clients once, reused by every invocation of this instance.
const config = loadReceiverConfig(process.env);
const logger = new Logger({ serviceName: 'frontline-event-hook' });

export const handler = createEventHookHandler(config, {
  sqs: new SQSClient({}),
  secretsManager: new SecretsManagerClient({}),
  logger,
});
