import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaAppCheckTrigger } from '../src/receiver/app-check-trigger';
import { EVENT_HOOK_NAME } from '../src/bootstrap/resource-types';
import { createCatchupHandler } from '../src/catchup/lambda-handler';
import { loadCatchupLambdaConfig } from '../src/catchup/lambda-config';
import { secretsManagerCredentials } from '../src/okta/credentials';
import { dynamoCursorStore } from '../src/dynamodb/cursor-store';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../src/telemetry';
import { SqsWorkQueue } from '../src/sqs/work-queue';

/*
 * The scheduled System Log catch-up (EventBridge Scheduler, every minute): events since the cursor in the records
 * table go through the receiver's selection into the worker's queue; then the event hook's health is reported.
 * Configuration, clients and credentials live at module scope.
 */
const config = loadCatchupLambdaConfig(process.env, EVENT_HOOK_NAME);

export const handler = createCatchupHandler(config, {
  credentials: secretsManagerCredentials(new SecretsManagerClient({}), config.credentialsSecretArn),
  queue: new SqsWorkQueue({ client: new SQSClient({}), queueUrl: config.workQueueUrl }),
  cursor: dynamoCursorStore({ client: new DynamoDBClient({}), tableName: config.recordsTableName }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAMES.catchup }),
  logger: new Logger({ serviceName: SERVICE_NAMES.catchup }),
  // application.lifecycle.* events of the Frontline app: the reconcile Lambda's prompt app check, as the receiver.
  ...(config.appCheckFunctionName
    ? { onAppConfigEvents: lambdaAppCheckTrigger(new LambdaClient({}), config.appCheckFunctionName) }
    : {}),
});
