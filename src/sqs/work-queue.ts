import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type BatchResultErrorEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { WorkQueue } from '../domain/work-queue';
import { deduplicationId, messageGroupId, type WorkItem } from '../domain/work-item';

/** SQS's limit on entries per SendMessageBatch. */
const MAX_BATCH = 10;

/** Some items could not be enqueued even after a retry; the caller must not acknowledge the delivery. */
export class EnqueueError extends Error {
  /** The user ids whose items were not accepted. */
  public readonly failedUserIds: string[];
  public readonly failures: { userId: string; code: string; senderFault: boolean }[];
  public constructor(
    failures: { userId: string; code: string; senderFault: boolean }[],
    options?: { cause?: unknown },
  ) {
    super(
      `${failures.length} work item(s) not enqueued: ${[...new Set(failures.map((f) => f.code))].join(', ')}`,
      options,
    );
    this.name = 'EnqueueError';
    this.failures = failures;
    this.failedUserIds = failures.map((f) => f.userId);
  }
}

export interface SqsWorkQueueOptions {
  client: SQSClient;
  /** A FIFO queue (its URL ends in `.fifo`). */
  queueUrl: string;
  /**
   * Batches sent at once; a large delivery must still fit in Okta's 3-second window.
   * @default 5
   */
  concurrency?: number;
}

/**
 * The worker's queue on Lambda: SQS FIFO, grouped by user so one user's items are processed in order, deduplicated
 * by trigger events so Okta's retry of a delivery does not create work twice.
 */
export class SqsWorkQueue implements WorkQueue {
  private readonly concurrency: number;

  public constructor(private readonly options: SqsWorkQueueOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 5);
  }

  public async enqueue(items: readonly WorkItem[]): Promise<void> {
    if (items.length === 0) return;
    const batches: WorkItem[][] = [];
    for (let i = 0; i < items.length; i += MAX_BATCH) batches.push(items.slice(i, i + MAX_BATCH));

    const failures: EnqueueError['failures'] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++];
        if (batch) failures.push(...(await this.sendBatch(batch)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, lane));
    if (failures.length > 0) throw new EnqueueError(failures);
  }

  /** Sends one batch; entries SQS rejects are sent once more. Resolves to what still failed. */
  private async sendBatch(batch: readonly WorkItem[]): Promise<EnqueueError['failures']> {
    const entries: SendMessageBatchRequestEntry[] = batch.map((item, index) => ({
      Id: `m${index}`,
      MessageBody: JSON.stringify(item),
      MessageGroupId: messageGroupId(item),
      MessageDeduplicationId: deduplicationId(item),
    }));
    const userIdOf = new Map(entries.map((e, index) => [e.Id, batch[index]?.userId ?? '']));

    let pending = entries;
    let errors: BatchResultErrorEntry[] = [];
    for (let attempt = 1; attempt <= 2 && pending.length > 0; attempt++) {
      const outcome = await this.send(pending);
      errors = outcome.errors;
      const failedIds = new Set(errors.map((e) => e.Id));
      pending = pending.filter((e) => failedIds.has(e.Id));
      // A call that failed as a whole was already retried by the SDK; another round would only eat Okta's 3 s.
      if (outcome.callFailed) break;
    }
    return pending.map((entry) => {
      const error = errors.find((e) => e.Id === entry.Id);
      return {
        userId: userIdOf.get(entry.Id) ?? '',
        code: error?.Code ?? 'Unknown',
        senderFault: error?.SenderFault ?? false,
      };
    });
  }

  private async send(
    entries: SendMessageBatchRequestEntry[],
  ): Promise<{ errors: BatchResultErrorEntry[]; callFailed: boolean }> {
    try {
      const out = await this.options.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }),
      );
      return { errors: out.Failed ?? [], callFailed: false };
    } catch (err) {
      // The whole call failed (network, throttling, permissions): every entry in it failed.
      const code = (err as Error).name || 'Error';
      return { errors: entries.map((e) => ({ Id: e.Id, Code: code, SenderFault: false })), callFailed: true };
    }
  }
}
