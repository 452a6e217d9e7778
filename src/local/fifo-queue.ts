import { randomUUID } from 'node:crypto';
import type { WorkQueue } from '../work/queue';
import { deduplicationId, messageGroupId, type WorkItem } from '../work/work-item';

/**
 * An in-process stand-in for SQS FIFO, with the semantics the worker relies on:
 * - per message group (= user id) strict order, and never two messages of one group in flight at once;
 * - deduplication by deduplication id within a window (SQS: 5 minutes);
 * - a visibility timeout: a message not acknowledged in time becomes receivable again;
 * - a receive count and a dead-letter list once `maxReceives` is reached, kept for an operator to replay.
 */
export interface LocalQueueOptions {
  /** @default 30000 */
  visibilityTimeoutMs?: number;
  /** Receives before a message is moved to the dead-letter list. @default 5 */
  maxReceives?: number;
  /** @default 300000 (SQS FIFO's five minutes) */
  deduplicationWindowMs?: number;
  /** First retry delay after a failure; doubles per receive, capped at `maxBackoffMs`. @default 200 */
  backoffMs?: number;
  /** @default 5000 */
  maxBackoffMs?: number;
  /** Injectable clock for tests. */
  now?: () => number;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly item: WorkItem;
  readonly groupId: string;
  receiveCount: number;
  visibleAt: number;
  /** Set while a consumer holds the message. */
  receiptHandle: string | undefined;
  readonly enqueuedAt: number;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly item: WorkItem;
  readonly receiveCount: number;
  readonly reason: string;
  readonly deadAt: number;
}

export class LocalFifoQueue implements WorkQueue {
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceives: number;
  private readonly dedupWindowMs: number;
  private readonly now: () => number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly messages: QueueMessage[] = [];
  private readonly dedup = new Map<string, number>();
  private readonly dead: DeadLetter[] = [];
  private readonly waiters = new Set<() => void>();

  public constructor(options: LocalQueueOptions = {}) {
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceives = options.maxReceives ?? 5;
    this.dedupWindowMs = options.deduplicationWindowMs ?? 300_000;
    this.now = options.now ?? Date.now;
    this.backoffMs = options.backoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  public async enqueue(items: readonly WorkItem[]): Promise<void> {
    const now = this.now();
    for (const [id, at] of this.dedup) if (now - at > this.dedupWindowMs) this.dedup.delete(id);
    for (const item of items) {
      const dedupId = deduplicationId(item);
      if (this.dedup.has(dedupId)) continue;
      this.dedup.set(dedupId, now);
      this.messages.push({
        messageId: randomUUID(),
        item,
        groupId: messageGroupId(item),
        receiveCount: 0,
        visibleAt: now,
        receiptHandle: undefined,
        enqueuedAt: now,
      });
    }
    this.wake();
  }

  /**
   * The next receivable message: the head of a group whose head is visible and not held by a consumer. Returns
   * undefined when nothing is receivable now (see `nextVisibleAt`).
   */
  public receive(): QueueMessage | undefined {
    const now = this.now();
    const seenGroups = new Set<string>();
    for (const message of this.messages) {
      if (seenGroups.has(message.groupId)) continue;
      seenGroups.add(message.groupId);
      const held = message.receiptHandle !== undefined && message.visibleAt > now;
      if (held || message.visibleAt > now) continue;
      message.receiveCount += 1;
      message.receiptHandle = randomUUID();
      message.visibleAt = now + this.visibilityTimeoutMs;
      return message;
    }
    return undefined;
  }

  /** Processing succeeded: delete the message (only with the current receipt handle, as SQS). */
  public ack(message: QueueMessage, receiptHandle: string): boolean {
    const index = this.messages.indexOf(message);
    if (index < 0 || message.receiptHandle !== receiptHandle) return false;
    this.messages.splice(index, 1);
    this.wake();
    return true;
  }

  /**
   * Processing failed: the message becomes visible again at `retryAt` (a 429's reset) or after `backoffMs`, or
   * moves to the dead-letter list when it has been received `maxReceives` times.
   */
  public fail(message: QueueMessage, receiptHandle: string, reason: string, retryAt?: number): void {
    const index = this.messages.indexOf(message);
    if (index < 0 || message.receiptHandle !== receiptHandle) return;
    message.receiptHandle = undefined;
    if (message.receiveCount >= this.maxReceives && retryAt === undefined) {
      this.messages.splice(index, 1);
      this.dead.push({
        messageId: message.messageId,
        item: message.item,
        receiveCount: message.receiveCount,
        reason,
        deadAt: this.now(),
      });
    } else {
      const backoff = Math.min(
        this.maxBackoffMs,
        this.backoffMs * 2 ** Math.max(0, message.receiveCount - 1),
      );
      message.visibleAt = retryAt ?? this.now() + backoff;
    }
    this.wake();
  }

  /** Moves every dead letter back to the queue with a fresh receive count (an operator's replay). */
  public async replayDeadLetters(): Promise<number> {
    const letters = this.dead.splice(0, this.dead.length);
    for (const letter of letters) this.dedup.delete(deduplicationId(letter.item));
    await this.enqueue(letters.map((l) => l.item));
    return letters.length;
  }

  public deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  public stats(): { queued: number; inFlight: number; dead: number } {
    const now = this.now();
    const inFlight = this.messages.filter((m) => m.receiptHandle !== undefined && m.visibleAt > now).length;
    return { queued: this.messages.length - inFlight, inFlight, dead: this.dead.length };
  }

  public isEmpty(): boolean {
    return this.messages.length === 0;
  }

  /** Earliest time a currently invisible message becomes visible, if any. */
  public nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const m of this.messages) if (next === undefined || m.visibleAt < next) next = m.visibleAt;
    return next;
  }

  /** Resolves on the next enqueue/ack/fail, or after `maxWaitMs`. */
  public waitForChange(maxWaitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, maxWaitMs));
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
