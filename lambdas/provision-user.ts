import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadWorkerLambdaConfig } from '../src/worker/lambda-config';
import { SERVICE_NAMES } from '../src/telemetry';
import { createProvisionUserHandler } from '../src/worker/sqs-handler';

/*
 * The provisioning worker: an SQS FIFO consumer (message group = user id) that converges one user per record and
 * reports failures per record. Configuration, AWS clients, the Okta credentials (fetched once from Secrets Manager)
 * and the Okta SDK client (built once per credentials) all live at module scope: paid once per cold start.
 */
const config = loadWorkerLambdaConfig(process.env);

export const handler = createProvisionUserHandler(config, {
  sqs: new SQSClient({}),
  secretsManager: new SecretsManagerClient({}),
  logger: new Logger({ serviceName: SERVICE_NAMES.worker }),
});
