import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { loadWorkerLambdaConfig } from '../../src/worker/lambda-config';
import { createProvisionUserHandler, queueUrlFromArn } from '../../src/worker/sqs-handler';
import {
  context,
  CREDENTIALS_SECRET_ARN,
  QUEUE_URL,
  sqsEvent,
  sqsRecord,
  workItem,
  workerLambdaEnv,
} from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);
let emulator: RunningEmulator;

function env(): Record<string, string> {
  return workerLambdaEnv(emulator.url);
}

function build(options: { now?: () => number } = {}) {
  return createProvisionUserHandler(loadWorkerLambdaConfig(env()), {
    userTypes: new InMemoryUserTypeMemory(),
    sqs: new SQSClient({ region: 'eu-west-1' }),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    timeoutEarlyInMillis: 0,
    minSecretRefreshIntervalMs: 0,
    random: () => 0,
    // One answer per record: holding a record through an outage (src/worker/outage-hold.ts) has its own tests.
    outageHoldMs: 0,
    ...options,
  });
}

const isAssigned = (userId: string) => emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === userId);

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo' });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.control.reset();
  emulator.control.setRateLimits({ limits: { apps: 100 } });
  emulator.control.setFaults({ readErrorRate: 0, writeErrorRate: 0 });
  sqs.reset();
  secretsManager.reset();
  secretsManager
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ apiToken: emulator.token }) });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

describe('Handler: provision-user (through middy)', () => {
  it('converges every user in the batch and reports no failure', async () => {
    const handler = build();
    const result = await handler(
      sqsEvent(
        sqsRecord(workItem(DEMO.users.wrongType, 'group.user_membership.add')),
        sqsRecord(workItem(DEMO.users.suspended, 'user.lifecycle.suspend')),
        sqsRecord(workItem(DEMO.users.agent, 'group.user_membership.add')),
      ),
      context,
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(isAssigned(DEMO.users.wrongType)).toBe(true);
    // The default policy takes a suspended user's access away, as for a leaver.
    expect(isAssigned(DEMO.users.suspended)).toBe(false);
  });

  it('reports a body that is not a work item as a failure (for the DLQ) and goes on with other users', async () => {
    const bad = sqsRecord('{not json', 'some-user');
    const schemaBad = sqsRecord(JSON.stringify({ kind: 'converge-user', userId: '' }), 'other-user');
    const good = sqsRecord(workItem(DEMO.users.wrongType));

    const result = await build()(sqsEvent(bad, schemaBad, good), context);

    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: bad.messageId }, { itemIdentifier: schemaBad.messageId }],
    });
    expect(isAssigned(DEMO.users.wrongType)).toBe(true);
  });

  it('also fails the later records of a failed user, keeping that user’s order, but not other users', async () => {
    const first = sqsRecord('garbage', DEMO.users.wrongType);
    const later = sqsRecord(workItem(DEMO.users.wrongType));
    const other = sqsRecord(workItem(DEMO.users.provisioned));

    const result = await build()(sqsEvent(first, later, other), context);

    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: first.messageId }, { itemIdentifier: later.messageId }],
    });
    expect(isAssigned(DEMO.users.wrongType)).toBe(false);
    expect(isAssigned(DEMO.users.provisioned)).toBe(true);
  });

  it('on a 429, delays the record until the bucket resets and reports it failed', async () => {
    emulator.control.setRateLimits({ limits: { apps: 0 } });
    const record = sqsRecord(workItem(DEMO.users.wrongType));
    const now = Date.now();

    const result = await build({ now: () => now })(sqsEvent(record), context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sqs).toHaveReceivedCommandTimes(ChangeMessageVisibilityCommand, 1);
    const input = sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ QueueUrl: QUEUE_URL, ReceiptHandle: record.receiptHandle });
    // The emulator's window is one minute: the reset is at most 60 s (+1 s of slack) away.
    expect(input.VisibilityTimeout).toBeGreaterThanOrEqual(1);
    expect(input.VisibilityTimeout).toBeLessThanOrEqual(62);
  });

  it('caps the visibility delay at 12 hours', async () => {
    emulator.control.setRateLimits({ limits: { apps: 0 } });
    // A clock far behind Okta's makes the reset look a day away.
    const result = await build({ now: () => Date.now() - 24 * 3600_000 })(
      sqsEvent(sqsRecord(workItem(DEMO.users.wrongType))),
      context,
    );

    expect(result.batchItemFailures).toHaveLength(1);
    const input = sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input;
    expect(input.VisibilityTimeout).toBe(12 * 60 * 60);
  });

  it('still reports the rate-limited record failed when the visibility change itself fails', async () => {
    emulator.control.setRateLimits({ limits: { apps: 0 } });
    sqs.on(ChangeMessageVisibilityCommand).rejects(new Error('throttled'));
    const record = sqsRecord(workItem(DEMO.users.wrongType));

    const result = await build()(sqsEvent(record), context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });

  it('reports a 5xx as a failure that comes back in a second, then on the exponential schedule (then the DLQ)', async () => {
    emulator.control.setFaults({ readErrorRate: 1 });
    const received = (n: number) => {
      const r = sqsRecord(workItem(DEMO.users.agent));
      return { ...r, attributes: { ...r.attributes, ApproximateReceiveCount: String(n) } };
    };
    const first = received(1);

    const result = await build()(sqsEvent(first), context);
    await build()(sqsEvent(received(4)), context);
    await build()(sqsEvent(received(10)), context);
    await build()(sqsEvent(received(13)), context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: first.messageId }] });
    const timeouts = sqs
      .commandCalls(ChangeMessageVisibilityCommand)
      .map((c) => c.args[0].input.VisibilityTimeout);
    // random() = 0: back in 1 s until the 10th receive, then half of 10 s doubling (src/worker/outage-hold.ts).
    expect(timeouts).toEqual([1, 1, 5, 40]);
  });

  it('deletes (does not fail) a record whose user is skipped for a permanent reason', async () => {
    const result = await build()(
      sqsEvent(
        sqsRecord(workItem(DEMO.users.mastered)),
        sqsRecord(workItem('00unosuchuser0000000', 'user.lifecycle.delete.initiated')),
      ),
      context,
    );

    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('reads the credentials secret once per cold start', async () => {
    const handler = build();
    await handler(sqsEvent(sqsRecord(workItem(DEMO.users.agent))), context);
    await handler(sqsEvent(sqsRecord(workItem(DEMO.users.agent))), context);

    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: CREDENTIALS_SECRET_ARN,
    });
  });

  it('re-reads a rotated secret after Okta answers 401 and succeeds with the new token', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ apiToken: 'stale-token-from-before-rotation' }) })
      .resolves({ SecretString: JSON.stringify({ apiToken: emulator.token }) });
    const record = sqsRecord(workItem(DEMO.users.wrongType));

    const result = await build()(sqsEvent(record), context);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(isAssigned(DEMO.users.wrongType)).toBe(true);
  });

  it('fails the record when the re-read credentials are rejected too', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ apiToken: 'wrong' }) });
    const record = sqsRecord(workItem(DEMO.users.wrongType));

    const result = await build()(sqsEvent(record), context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });
});

describe('Function: queueUrlFromArn', () => {
  it('derives the queue URL from the record’s event source ARN', () => {
    expect(queueUrlFromArn('arn:aws:sqs:eu-west-1:123456789012:frontline-work.fifo')).toBe(QUEUE_URL);
    expect(queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:q.fifo')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo',
    );
  });

  it('rejects an ARN that is not an SQS queue', () => {
    expect(() => queueUrlFromArn('arn:aws:sns:eu-west-1:123456789012:topic')).toThrow('not an SQS queue ARN');
  });
});
