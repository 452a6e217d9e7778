import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoIdentityStore } from '../src/dynamodb/identity-store';
import { loadFrontlineLambdaConfig } from '../src/twilio/lambda-config';
import { secretFrontlineUsers } from '../src/twilio/secret-users';
import { createReconcileHandler } from '../src/reconcile/lambda-handler';
import { loadReconcileLambdaConfig } from '../src/reconcile/lambda-config';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../src/telemetry';
import { SqsWorkQueue } from '../src/sqs/work-queue';
import { secretsManagerCredentials } from '../src/okta/credentials';
import { dynamoFingerprintStore } from '../src/dynamodb/certificate-store';

/*
 * The scheduled app guard and full reconcile (EventBridge schedule), also invoked with {kind:"app-check", events}
 * for a prompt check after application.lifecycle.* events. It never writes Okta users itself: planned changes go to
 * the worker's SQS FIFO queue as per-user work items. With Twilio credentials in their secret it also deactivates
 * the Frontline users of recorded leavers. Configuration, clients and credentials live at module scope.
 */
const config = loadReconcileLambdaConfig(process.env);
const frontlineConfig = loadFrontlineLambdaConfig(process.env);
const sqs = new SQSClient({});
const dynamo = new DynamoDBClient({});
const secretsManager = new SecretsManagerClient({});

export const handler = createReconcileHandler(config, {
  credentials: secretsManagerCredentials(secretsManager, config.credentialsSecretArn),
  queue: new SqsWorkQueue({ client: sqs, queueUrl: config.workQueueUrl }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAMES.reconcile }),
  logger: new Logger({ serviceName: SERVICE_NAMES.reconcile }),
  ...(config.recordsTableName
    ? {
        fingerprints: dynamoFingerprintStore({
          client: dynamo,
          tableName: config.recordsTableName,
          fallback: config.confirmedFingerprint,
        }),
      }
    : {}),
  ...(frontlineConfig.enabled
    ? {
        frontline: {
          users: secretFrontlineUsers({
            client: secretsManager,
            secretId: frontlineConfig.credentialsSecretArn,
            apiUrl: frontlineConfig.apiUrl,
          }),
          identities: new DynamoIdentityStore({
            client: dynamo,
            tableName: frontlineConfig.recordsTableName,
          }),
        },
      }
    : {}),
});
