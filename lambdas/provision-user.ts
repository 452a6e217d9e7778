import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoIdentityStore } from '../src/dynamodb/identity-store';
import { DynamoUserTypeMemory } from '../src/dynamodb/user-type-memory';
import { loadFrontlineLambdaConfig } from '../src/twilio/lambda-config';
import { secretFrontlineUsers } from '../src/twilio/secret-users';
import { loadWorkerLambdaConfig } from '../src/worker/lambda-config';
import { SERVICE_NAMES } from '../src/telemetry';
import { createFrontlineStep } from '../src/worker/frontline-step';
import { createProvisionUserHandler } from '../src/worker/sqs-handler';

/*
 * The provisioning worker: an SQS FIFO consumer (message group = user id) that converges one user per record and
 * reports failures per record. Configuration, AWS clients, the Okta credentials (fetched once from Secrets Manager)
 * and the Okta SDK client (built once per credentials) all live at module scope: paid once per cold start. The
 * Twilio credentials, when ops have put them, are fetched the same way on first use.
 */
const config = loadWorkerLambdaConfig(process.env);
const frontlineConfig = loadFrontlineLambdaConfig(process.env);
const secretsManager = new SecretsManagerClient({});
const dynamodb = new DynamoDBClient({});

export const handler = createProvisionUserHandler(config, {
  sqs: new SQSClient({}),
  secretsManager,
  logger: new Logger({ serviceName: SERVICE_NAMES.worker }),
  userTypes: new DynamoUserTypeMemory({ client: dynamodb, tableName: config.recordsTableName }),
  ...(frontlineConfig.enabled
    ? {
        frontline: createFrontlineStep({
          users: secretFrontlineUsers({
            client: secretsManager,
            secretId: frontlineConfig.credentialsSecretArn,
            apiUrl: frontlineConfig.apiUrl,
          }),
          identities: new DynamoIdentityStore({
            client: dynamodb,
            tableName: frontlineConfig.recordsTableName,
          }),
          appId: config.appId,
          policy: config.policy,
        }),
      }
    : {}),
});
