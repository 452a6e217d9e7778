import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { loadReceiverConfig, type ReceiverConfig } from '../src/receiver/config';
import { createReceiver, type ReceiverDeps } from '../src/receiver/receiver';
import { CachedSecret } from '../src/secrets/cached-secret';
import { parseHookSecrets } from '../src/secrets/hook-secret';
import { SqsWorkQueue } from '../src/work/sqs-queue';

/*
 * The Okta event hook receiver behind API Gateway (HTTP API, payload v2). It must answer within Okta's 3 seconds,
 * so it loads nothing heavy: no Okta SDK, only SQS, Secrets Manager, zod and the logger.
 */

export interface EventHookHandlerDeps {
  sqs: SQSClient;
  secretsManager: SecretsManagerClient;
  logger: Logger;
  /** For the app guard; see ReceiverDeps.onAppConfigEvents. */
  onAppConfigEvents?: ReceiverDeps['onAppConfigEvents'];
  /** middy's early timeout; tests pass 0. @default 5 */
  timeoutEarlyInMillis?: number;
  /** @default 30000 */
  minSecretRefreshIntervalMs?: number;
}

export function createEventHookHandler(config: ReceiverConfig, deps: EventHookHandlerDeps) {
  const hookSecret = new CachedSecret({
    client: deps.secretsManager,
    secretId: config.hookSecretArn,
    parse: parseHookSecrets,
    ...(deps.minSecretRefreshIntervalMs !== undefined
      ? { minRefreshIntervalMs: deps.minSecretRefreshIntervalMs }
      : {}),
  });
  const receive = createReceiver({
    secrets: () => hookSecret.get(),
    refreshSecrets: () => hookSecret.refresh(),
    queue: new SqsWorkQueue({ client: deps.sqs, queueUrl: config.queueUrl }),
    groupId: config.groupId,
    appId: config.appId,
    headerName: config.headerName,
    maxBodyBytes: config.maxBodyBytes,
    logger: deps.logger,
    ...(deps.onAppConfigEvents ? { onAppConfigEvents: deps.onAppConfigEvents } : {}),
  });
  const lambdaHandler = (event: APIGatewayProxyEventV2, _context: Context) => receive(event);
  return middy(lambdaHandler, {
    ...(deps.timeoutEarlyInMillis !== undefined ? { timeoutEarlyInMillis: deps.timeoutEarlyInMillis } : {}),
  }).use(injectLambdaContext(deps.logger, { resetKeys: true }));
}

// Cold start: configuration and clients once, reused by every invocation of this instance.
const config = loadReceiverConfig(process.env);
const logger = new Logger({ serviceName: 'frontline-event-hook' });

export const handler = createEventHookHandler(config, {
  sqs: new SQSClient({}),
  secretsManager: new SecretsManagerClient({}),
  logger,
});
