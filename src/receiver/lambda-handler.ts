import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { CachedSecret } from '../secrets/cached-secret';
import { parseHookSecrets } from '../secrets/hook-secret';
import { SqsWorkQueue } from '../sqs/work-queue';
import type { ReceiverConfig } from './config';
import { createReceiver, type ReceiverDeps } from './receiver';

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

/** The receiver wired to AWS: the hook secret from Secrets Manager, work to SQS FIFO, logs through Powertools. */
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
    groupIds: config.groupIds,
    appId: config.appId,
    headerName: config.headerName,
    maxBodyBytes: config.maxBodyBytes,
    maxEventsPerDelivery: config.maxEventsPerDelivery,
    logger: deps.logger,
    ...(deps.onAppConfigEvents ? { onAppConfigEvents: deps.onAppConfigEvents } : {}),
  });
  const lambdaHandler = (event: APIGatewayProxyEventV2, _context: Context) => receive(event);
  return (
    middy(lambdaHandler, {
      ...(deps.timeoutEarlyInMillis !== undefined ? { timeoutEarlyInMillis: deps.timeoutEarlyInMillis } : {}),
    }) // logEvent pinned off: the raw event carries the hook secret (Authorization header), and
      // POWERTOOLS_LOGGER_LOG_EVENT=true in the function's environment must not put it in the logs.
      .use(injectLambdaContext(deps.logger, { resetKeys: true, logEvent: false }))
  );
}
