import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { loadSettings } from '../../src/config/env';
import type { WorkItem } from '../../src/domain/work-item';
import type { WorkQueue } from '../../src/domain/work-queue';
import { loadReceiverConfig } from '../../src/receiver/config';
import { createEventHookHandler } from '../../src/receiver/lambda-handler';
import { createReceiver, DEFAULT_MAX_EVENTS_PER_DELIVERY } from '../../src/receiver/receiver';
import { APP_ID, delivery, envelope, GROUP_ID, groupAdd, SECRET } from './factories';

const users = (n: number) => Array.from({ length: n }, (_, i) => `00uCap${i.toString().padStart(14, '0')}`);
const silent = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

function receiverWith(maxEventsPerDelivery?: number) {
  const enqueued: WorkItem[] = [];
  const queue: WorkQueue = { enqueue: async (items) => void enqueued.push(...items) };
  const receive = createReceiver({
    secrets: async () => ({ current: SECRET, previous: undefined }),
    queue,
    groupIds: [GROUP_ID],
    appId: APP_ID,
    logger: silent,
    ...(maxEventsPerDelivery !== undefined ? { maxEventsPerDelivery } : {}),
  });
  return { receive, enqueued };
}

describe('Function: createReceiver (events per delivery)', () => {
  it('answers 413 naming the count and the cap, and enqueues nothing, when a delivery carries too many events', async () => {
    const { receive, enqueued } = receiverWith(10);

    const result = await receive(delivery(envelope(users(11).map((u) => groupAdd(u)))));

    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body ?? '')).toEqual({
      message: 'delivery carries 11 events; at most 10 are accepted per delivery',
    });
    expect(enqueued).toEqual([]);
  });

  it('accepts a delivery of exactly the cap', async () => {
    const { receive, enqueued } = receiverWith(10);

    const result = await receive(delivery(envelope(users(10).map((u) => groupAdd(u)))));

    expect(result.statusCode).toBe(200);
    expect(enqueued).toHaveLength(10);
  });

  it('caps at the shared default when none is given (the 5,240-user delivery of issue 20 is refused)', async () => {
    const { receive, enqueued } = receiverWith();
    // As small as Okta's LogEvent can be, so 5,240 of them fit under the 1 MiB body limit.
    const events = users(5_240).map((id, i) => ({
      uuid: `e${i}`,
      published: '2026-11-27T12:00:00Z',
      eventType: 'group.user_membership.add',
      target: [
        { id, type: 'User' },
        { id: GROUP_ID, type: 'UserGroup' },
      ],
    }));
    const body = JSON.stringify(envelope(events));
    expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);

    const over = await receive(delivery(body));

    expect(over.statusCode).toBe(413);
    expect(over.body).toContain(`at most ${DEFAULT_MAX_EVENTS_PER_DELIVERY} are accepted`);
    expect(enqueued).toEqual([]);
  });
});

describe('Handler: event-hook Lambda (events per delivery)', () => {
  const sqs = mockClient(SQSClient);
  const secretsManager = mockClient(SecretsManagerClient);
  beforeEach(() => {
    sqs.reset();
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: SECRET }) });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('answers 413 too, and sends nothing to SQS', async () => {
    const handler = createEventHookHandler(
      loadReceiverConfig({
        FRONTLINE_GROUP_ID: GROUP_ID,
        WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/frontline-work.fifo',
        HOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf',
      }),
      {
        sqs: new SQSClient({ region: 'eu-west-1' }),
        secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
        logger: silent,
        timeoutEarlyInMillis: 0,
      },
    );
    const events = users(DEFAULT_MAX_EVENTS_PER_DELIVERY + 1).map((u) => groupAdd(u));

    const result = await handler(delivery(envelope(events)), {} as Context);

    expect(result).toMatchObject({ statusCode: 413 });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});

describe('Function: loadSettings (MAX_EVENTS_PER_DELIVERY)', () => {
  const base = {
    OKTA_ORG_URL: 'https://example.okta.com',
    OKTA_API_TOKEN: 'token',
    FRONTLINE_GROUP_ID: '00g1',
    FRONTLINE_APP_ID: '0oa1',
    OKTA_HOOK_SECRET: 'a-secret-of-enough-length',
  };

  it('defaults to the receiver’s cap and reads a whole number', () => {
    expect(loadSettings(base).maxEventsPerDelivery).toBe(DEFAULT_MAX_EVENTS_PER_DELIVERY);
    expect(loadSettings({ ...base, MAX_EVENTS_PER_DELIVERY: '50' }).maxEventsPerDelivery).toBe(50);
    expect(() => loadSettings({ ...base, MAX_EVENTS_PER_DELIVERY: '0' })).toThrow(/MAX_EVENTS_PER_DELIVERY/);
  });
});
