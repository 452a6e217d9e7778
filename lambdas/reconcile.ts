import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createReconcileHandler } from '../src/guard/lambda-handler';
import { loadReconcileLambdaConfig } from '../src/guard/lambda-config';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../src/telemetry';
import { SqsWorkQueue } from '../src/work/sqs-queue';
import { secretsManagerCredentials } from '../src/okta/credentials';
import { dynamoFingerprintStore } from '../src/records/dynamo-certificate-store';

/*
 * The scheduled app guard and full reconcile (EventBridge schedule), also invoked with {kind:"app-check", events}
 * for a prompt check after application.lifecycle.* events. It never writes users itself: planned changes go to the
 * worker's SQS FIFO queue as per-user work items. Configuration, clients and credentials live at module scope.
 */
const config = loadReconcileLambdaConfig(process.env);
const sqs = new SQSClient({});

export const handler = createReconcileHandler(config, {
  credentials: secretsManagerCredentials(new SecretsManagerClient({}), config.credentialsSecretArn),
  queue: new SqsWorkQueue({ client: sqs, queueUrl: config.workQueueUrl }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAMES.reconcile }),
  logger: new Logger({ serviceName: SERVICE_NAMES.reconcile }),
  ...(config.recordsTableName
    ? {
        fingerprints: dynamoFingerprintStore({
          client: new DynamoDBClient({}),
          tableName: config.recordsTableName,
          fallback: config.confirmedFingerprint,
        }),
      }
    : {}),
});
