import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { resolvePolicy } from '../../src/domain/policy';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { secretFrontlineUsers } from '../../src/twilio/secret-users';
import { createFrontlineStep } from '../../src/worker/frontline-step';
import { loadWorkerLambdaConfig } from '../../src/worker/lambda-config';
import { createProvisionUserHandler } from '../../src/worker/sqs-handler';
import { context, CREDENTIALS_SECRET_ARN, sqsEvent, sqsRecord, workItem, workerLambdaEnv } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

const TWILIO_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:twilio-AbCdEf';
const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);
let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;

function build() {
  const client = new SecretsManagerClient({ region: 'eu-west-1' });
  return createProvisionUserHandler(loadWorkerLambdaConfig(workerLambdaEnv(okta.url)), {
    userTypes: new InMemoryUserTypeMemory(),
    sqs: new SQSClient({ region: 'eu-west-1' }),
    secretsManager: client,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    timeoutEarlyInMillis: 0,
    random: () => 0,
    // One answer per record: holding a record through an outage (src/worker/outage-hold.ts) has its own tests.
    outageHoldMs: 0,
    frontline: createFrontlineStep({
      users: secretFrontlineUsers({ client, secretId: TWILIO_SECRET_ARN, apiUrl: frontline.url }),
      identities: new InMemoryIdentityStore(),
      appId: DEMO.appId,
      policy: resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${source.email}' }),
    }),
  });
}

function twilioSecret(value: Record<string, string>) {
  secretsManager
    .on(GetSecretValueCommand, { SecretId: TWILIO_SECRET_ARN })
    .resolves({ SecretString: JSON.stringify(value) });
}

const leaverEmail = () => (okta.state.getUser(DEMO.users.leaver)?.profile as { email: string }).email;
const leaverRecord = () => sqsRecord(workItem(DEMO.users.leaver, 'group.user_membership.remove'));

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo' });
  frontline = await startFrontlineEmulator();
});

afterAll(async () => {
  await okta.stop();
  await frontline.stop();
});

beforeEach(async () => {
  await okta.control.reset();
  frontline.control.reset();
  frontline.control.signIn(leaverEmail());
  const removed = await fetch(`${okta.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.leaver}`, {
    method: 'DELETE',
    headers: { authorization: `SSWS ${okta.token}` },
  });
  expect(removed.status).toBe(204);
  sqs.reset();
  secretsManager.reset();
  secretsManager
    .on(GetSecretValueCommand, { SecretId: CREDENTIALS_SECRET_ARN })
    .resolves({ SecretString: JSON.stringify({ apiToken: okta.token }) });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

describe('Handler: provision-user with Frontline offboarding', () => {
  it('ends the leaver’s Frontline session with the credentials from the Twilio secret', async () => {
    twilioSecret({ accountSid: frontline.accountSid, authToken: DEFAULT_FRONTLINE_AUTH_TOKEN });
    const result = await build()(sqsEvent(leaverRecord()), context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(frontline.control.getUser(leaverEmail())?.state).toBe('deactivated');
  });

  it('behaves as before while the secret still holds the stack’s placeholder', async () => {
    twilioSecret({ note: 'Not set yet: put the Twilio credentials (docs/deploy.md)' });
    const result = await build()(sqsEvent(leaverRecord()), context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(frontline.control.requestLog()).toEqual([]);
  });

  it('delays a record Twilio answered 503 with the transient backoff', async () => {
    twilioSecret({ accountSid: frontline.accountSid, authToken: DEFAULT_FRONTLINE_AUTH_TOKEN });
    frontline.control.injectFault({ status: 503, method: 'POST' });
    const record = leaverRecord();
    const result = await build()(sqsEvent(record), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      ReceiptHandle: record.receiptHandle,
    });
  });

  it('fails a record Twilio answered 401 without delaying it, so it reaches the dead-letter queue', async () => {
    twilioSecret({ accountSid: frontline.accountSid, authToken: 'revoked-token-0123456789' });
    const record = leaverRecord();
    const result = await build()(sqsEvent(record), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sqs).not.toHaveReceivedCommand(ChangeMessageVisibilityCommand);
    expect(frontline.control.getUser(leaverEmail())?.state).toBe('active');
  });
});
