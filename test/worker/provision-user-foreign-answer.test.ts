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
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { resolvePolicy } from '../../src/domain/policy';
import { secretFrontlineUsers } from '../../src/twilio/secret-users';
import { createFrontlineStep } from '../../src/worker/frontline-step';
import { loadWorkerLambdaConfig } from '../../src/worker/lambda-config';
import { createProvisionUserHandler } from '../../src/worker/sqs-handler';
import { startFaultProxy, type FaultProxy } from '../okta/helpers/fault-proxy';
import { context, CREDENTIALS_SECRET_ARN, sqsEvent, sqsRecord, workItem, workerLambdaEnv } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

/*
 * Issue 20 on the Lambda: the provision-user handler, its Okta client pointed at a proxy in front of the emulator.
 * An answer that is not Okta's fails the record (SQS brings it back after a backoff and, past maxReceiveCount,
 * dead-letters it); it never acknowledges the record as a fact about the user.
 */

const TWILIO_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:twilio-AbCdEf';
const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);
let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let proxy: FaultProxy;
let identities: InMemoryIdentityStore;

function build() {
  const client = new SecretsManagerClient({ region: 'eu-west-1' });
  const policy = resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${source.email}' });
  return createProvisionUserHandler(loadWorkerLambdaConfig(workerLambdaEnv(proxy.url)), {
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
      identities,
      appId: DEMO.appId,
      policy,
    }),
  });
}

const agentEmail = () => (okta.state.getUser(DEMO.users.agent)?.profile as { email: string }).email;

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo' });
  frontline = await startFrontlineEmulator();
  proxy = await startFaultProxy(okta.url);
});

afterAll(async () => {
  await proxy.close();
  await okta.stop();
  await frontline.stop();
});

beforeEach(async () => {
  proxy.clear();
  await okta.control.reset();
  frontline.control.reset();
  identities = new InMemoryIdentityStore();
  await identities.record(DEMO.users.agent, agentEmail());
  frontline.control.signIn(agentEmail());
  sqs.reset();
  secretsManager.reset();
  secretsManager
    .on(GetSecretValueCommand, { SecretId: CREDENTIALS_SECRET_ARN })
    .resolves({ SecretString: JSON.stringify({ apiToken: okta.token }) });
  secretsManager.on(GetSecretValueCommand, { SecretId: TWILIO_SECRET_ARN }).resolves({
    SecretString: JSON.stringify({
      accountSid: frontline.accountSid,
      authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
    }),
  });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

describe('Handler: provision-user when something in front of Okta answers', () => {
  it('reports the record failed, with the transient backoff, on an HTML 404 for a live agent', async () => {
    proxy.answer({ path: `/api/v1/users/${DEMO.users.agent}`, status: 404 });
    const record = sqsRecord(workItem(DEMO.users.agent, 'user.lifecycle.delete.initiated'));

    const result = await build()(sqsEvent(record), context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      ReceiptHandle: record.receiptHandle,
    });
    expect(frontline.control.getUser(agentEmail())?.state).toBe('active');
    expect(frontline.control.requestLog().filter((e) => e.method === 'POST')).toEqual([]);
  });

  it('reports the record failed on an HTML 200 for the user, instead of acknowledging a skip', async () => {
    proxy.answer({ path: `/api/v1/users/${DEMO.users.agent}`, status: 200 });
    const record = sqsRecord(workItem(DEMO.users.agent, 'group.user_membership.add'));

    const result = await build()(sqsEvent(record), context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });

  it('acknowledges the record when Okta itself says the user is gone, ending the recorded session', async () => {
    const email = agentEmail();
    const admin = { headers: { authorization: `SSWS ${okta.token}` }, method: 'DELETE' };
    await fetch(`${okta.url}/api/v1/users/${DEMO.users.agent}`, admin);
    await fetch(`${okta.url}/api/v1/users/${DEMO.users.agent}`, admin);
    const record = sqsRecord(workItem(DEMO.users.agent, 'user.lifecycle.delete.initiated'));

    const result = await build()(sqsEvent(record), context);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(frontline.control.getUser(email)?.state).toBe('deactivated');
  });
});
