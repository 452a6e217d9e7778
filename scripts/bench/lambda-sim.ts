/*
 * The worker Lambda's path without AWS, for the recovery benchmark: an in-memory SQS FIFO queue (message groups,
 * visibility timeouts, receive counts, a redrive to a dead-letter list after `maxReceiveCount`,
 * ChangeMessageVisibility only with the current receipt handle) and an event source mapping of `maxConcurrency`
 * pollers, each invoking its own warm copy of the real handler (`createProvisionUserHandler`) with batches of up to
 * 10, under a 60 s invocation clock. Okta is the emulator, through the real SDK.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import type { RunningEmulator } from '../../emulator/okta';
import { resolvePolicy } from '../../src/domain/policy';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';
import { DEFAULT_MAX_RECEIVE_COUNT } from '../../src/worker/outage-hold';
import type { WorkItem } from '../../src/domain/work-item';
import { sdkDirectoryProvider, staticCredentials } from '../../src/okta/credentials';
import { RateGovernor } from '../../src/okta/rate-governor';
import { createProvisionUserHandler } from '../../src/worker/sqs-handler';

const ARN = 'arn:aws:sqs:eu-west-1:123456789012:bench-work.fifo';

interface Message {
  id: string;
  group: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  receipt?: string;
  seq: number;
}

/** The queue, as SQS FIFO behaves for one consumer group. */
export class FifoQueue {
  readonly dead: Message[] = [];
  private readonly messages: Message[] = [];
  private seq = 0;

  constructor(
    private readonly visibilityTimeoutMs = 360_000,
    public readonly maxReceiveCount = DEFAULT_MAX_RECEIVE_COUNT,
  ) {}

  send(item: WorkItem): void {
    this.seq += 1;
    this.messages.push({
      id: randomUUID(),
      group: item.userId,
      body: JSON.stringify(item),
      receiveCount: 0,
      visibleAt: 0,
      seq: this.seq,
    });
  }

  get size(): number {
    return this.messages.length;
  }

  /** Up to `max` visible messages, each the head of a group with nothing in flight, oldest first. */
  receive(max: number, now = Date.now()): Message[] {
    const heads = new Map<string, Message>();
    for (const m of this.messages) if (!heads.has(m.group)) heads.set(m.group, m);
    const out: Message[] = [];
    for (const m of [...heads.values()].sort((a, b) => a.seq - b.seq)) {
      if (out.length === max) break;
      if (m.visibleAt > now) continue;
      if (m.receiveCount >= this.maxReceiveCount) {
        // SQS's redrive: a message received maxReceiveCount times goes to the dead-letter queue.
        this.messages.splice(this.messages.indexOf(m), 1);
        this.dead.push(m);
        continue;
      }
      m.receiveCount += 1;
      m.receipt = randomUUID();
      m.visibleAt = now + this.visibilityTimeoutMs;
      out.push(m);
    }
    return out;
  }

  delete(receipt: string): void {
    const i = this.messages.findIndex((m) => m.receipt === receipt);
    if (i >= 0) this.messages.splice(i, 1);
  }

  changeVisibility(receipt: string, seconds: number, now = Date.now()): void {
    const m = this.messages.find((x) => x.receipt === receipt && x.visibleAt > now);
    if (!m) throw new Error('ReceiptHandleIsInvalid');
    m.visibleAt = now + seconds * 1000;
  }
}

function recordOf(m: Message): SQSRecord {
  return {
    messageId: m.id,
    receiptHandle: m.receipt!,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: '0',
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: '0',
      SequenceNumber: String(m.seq),
      MessageGroupId: m.group,
      MessageDeduplicationId: m.id,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: ARN,
    awsRegion: 'eu-west-1',
  };
}

function invocationContext(timeoutMs: number): Context {
  const started = Date.now();
  return {
    functionName: 'provision-user',
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  } as unknown as Context;
}

export interface LambdaPath {
  queue: FifoQueue;
  stop(): Promise<void>;
}

/** Starts `concurrency` pollers over `queue`, each with its own handler (a warm container), against the emulator. */
export function startLambdaPath(
  emulator: RunningEmulator,
  target: { groupId: string; appId: string },
  options: { concurrency?: number; batchSize?: number; maxReceiveCount?: number } = {},
): LambdaPath {
  const queue = new FifoQueue(360_000, options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT);
  const sqs = {
    send: async (command: unknown) => {
      if (command instanceof ChangeMessageVisibilityCommand) {
        const input = command.input;
        queue.changeVisibility(input.ReceiptHandle!, input.VisibilityTimeout ?? 0);
      }
      return {};
    },
  } as unknown as SQSClient;
  let running = true;
  // One store for every container, as the records table is.
  const userTypes = new InMemoryUserTypeMemory();
  const container = () =>
    createProvisionUserHandler(
      {
        orgUrl: emulator.url,
        credentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench',
        appId: target.appId,
        policy: resolvePolicy({ groupIds: [target.groupId] }),
        recordsTableName: 'bench-records',
        maxReceiveCount: queue.maxReceiveCount,
      },
      {
        sqs,
        secretsManager: {} as never,
        logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
        userTypes,
        directory: sdkDirectoryProvider({
          orgUrl: emulator.url,
          credentials: staticCredentials({ kind: 'ssws', token: emulator.token }),
          governor: new RateGovernor({ maxInlineWaitMs: 2_000 }),
        }),
      },
    );
  const poller = async (): Promise<void> => {
    const handler = container();
    while (running) {
      const batch = queue.receive(options.batchSize ?? 10);
      if (batch.length === 0) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const response = await handler({ Records: batch.map(recordOf) }, invocationContext(60_000)).catch(
        () => ({ batchItemFailures: batch.map((m) => ({ itemIdentifier: m.id })) }),
      );
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of batch) if (!failed.has(m.id)) queue.delete(m.receipt!);
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 2 }, () => poller());
  return {
    queue,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
