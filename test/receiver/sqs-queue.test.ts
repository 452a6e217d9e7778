import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EnqueueError, SqsWorkQueue } from '../../src/sqs/work-queue';
import { deduplicationId, WorkItemSchema, type WorkItem } from '../../src/domain/work-item';

const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/work.fifo';

const item = (n: number): WorkItem => ({
  kind: 'converge-user',
  userId: `00u${n}`,
  source: 'event-hook',
  triggers: [{ eventUuid: `evt-${n}`, eventType: 'group.user_membership.add' }],
});

const queue = () => new SqsWorkQueue({ client: new SQSClient({ region: 'eu-west-1' }), queueUrl: QUEUE_URL });
const sentEntries = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => (c.args[0].input as SendMessageBatchCommandInput).Entries ?? []);

beforeEach(() => sqs.reset());

describe('Class: SqsWorkQueue', () => {
  it('sends items in batches of at most ten, grouped by user and deduplicated by trigger', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const items = Array.from({ length: 23 }, (_, i) => item(i));

    await queue().enqueue(items);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === QUEUE_URL)).toBe(true);
    const entries = sentEntries();
    expect(entries.map((e) => e.MessageGroupId).sort()).toEqual(items.map((i) => i.userId).sort());
    const first = entries.find((e) => e.MessageGroupId === '00u0');
    expect(first?.MessageDeduplicationId).toBe(deduplicationId(item(0)));
    expect(WorkItemSchema.parse(JSON.parse(first?.MessageBody ?? ''))).toEqual(item(0));
  });

  it('does not call SQS for an empty list', async () => {
    await queue().enqueue([]);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
  });

  it('resends only the entries SQS rejected, once, and succeeds when the retry does', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Successful: [], Failed: [] });

    await queue().enqueue([item(0), item(1), item(2)]);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.Entries?.map((e) => e.MessageGroupId)).toEqual(['00u1']);
  });

  it('throws an EnqueueError naming the users when entries still fail after the retry', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: 'm0', Code: 'InternalError', SenderFault: false }] });

    const attempt = queue().enqueue([item(0), item(1)]);

    await expect(attempt).rejects.toBeInstanceOf(EnqueueError);
    await expect(attempt).rejects.toMatchObject({
      failedUserIds: ['00u0'],
      failures: [{ userId: '00u0', code: 'InternalError', senderFault: false }],
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
  });

  it('treats a failed call as every entry failing, without a second round on top of the SDK retries', async () => {
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('no route'), { name: 'TimeoutError' }));

    await expect(queue().enqueue([item(0), item(1)])).rejects.toMatchObject({
      name: 'EnqueueError',
      failedUserIds: ['00u0', '00u1'],
      message: '2 work item(s) not enqueued: TimeoutError',
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });
});
