import type { WorkItem } from '../domain/work-item';
import type { QueueMessage, SqliteWorkQueue } from '../sqlite/work-queue';

export interface ConsumerOptions {
  queue: SqliteWorkQueue;
  /** Processes one item; throws to have it retried (or dead-lettered after max receives). */
  process: (item: WorkItem) => Promise<void>;
  /** When the error says "not before T" (a 429's reset), the epoch ms T; undefined for ordinary backoff. */
  retryAtOf?: (error: unknown) => number | undefined;
  /** True once shutdown has closed the gate to Okta: a failure then is ours, not the item's. */
  stopping?: () => boolean;
  /** Parallel consumers, like Lambda's SQS maxConcurrency. @default 4 */
  concurrency?: number;
  onError?: (item: WorkItem, error: unknown, outcome: 'retry' | 'dead' | 'stale') => void;
  /** How often other processes' changes (a `dlq replay`) are looked for. @default 250 */
  pollMs?: number;
}

export interface DrainReport {
  /** Messages still queued (not yet processed) when the drain finished or gave up. */
  leftQueued: number;
  /** User ids whose processing was still running when the drain timed out (they stay queued). */
  leftInFlight: string[];
  dead: number;
}

/**
 * The local equivalent of Lambda's SQS event source: a few loops that receive, process, and ack or fail.
 * `stop()` stops receiving and waits for in-flight items, which is what SIGTERM should do.
 */
export class LocalConsumer {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly inFlight = new Map<string, WorkItem>();

  public constructor(private readonly options: ConsumerOptions) {}

  public start(): void {
    if (this.running) return;
    this.running = true;
    const concurrency = Math.max(1, this.options.concurrency ?? 4);
    for (let i = 0; i < concurrency; i += 1) this.loops.push(this.loop());
  }

  /** Resolves when the queue is empty and nothing is in flight (dead letters don't count), or after timeoutMs. */
  public async idle(timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const idle = (): boolean => this.inFlight.size === 0 && this.options.queue.isEmpty();
    while (Date.now() < deadline) {
      if (idle()) return true;
      await this.options.queue.waitForChange(Math.min(100, deadline - Date.now()));
    }
    return idle();
  }

  /** Stops receiving; waits up to timeoutMs for in-flight work; reports what was left. */
  public async stop(timeoutMs = 10_000): Promise<DrainReport> {
    this.running = false;
    const all = Promise.all(this.loops).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    await Promise.race([all, timedOut]);
    clearTimeout(timer);
    const stats = this.options.queue.stats();
    const leftInFlight = [...this.inFlight.values()].map((i) => i.userId);
    return {
      leftQueued: stats.queued + stats.inFlight - leftInFlight.length,
      leftInFlight,
      dead: stats.dead,
    };
  }

  private async loop(): Promise<void> {
    const { queue } = this.options;
    const pollMs = this.options.pollMs ?? 250;
    while (this.running) {
      const message = queue.receive();
      if (!message) {
        const next = queue.nextVisibleAt();
        const wait = next === undefined ? pollMs : Math.max(1, Math.min(pollMs, next - Date.now()));
        await queue.waitForChange(wait);
        continue;
      }
      await this.handle(message);
    }
  }

  private async handle(message: QueueMessage): Promise<void> {
    const { queue, process, retryAtOf, onError, stopping } = this.options;
    this.inFlight.set(message.messageId, message.item);
    try {
      await process(message.item);
      queue.ack(message);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // Cut off by shutdown: back on the queue as it was, the attempt not counted.
      const retryAt = stopping?.() ? Date.now() : retryAtOf?.(error);
      let outcome: 'retry' | 'dead' | 'stale' = 'stale';
      try {
        outcome = queue.fail(message, reason, retryAt);
      } catch {
        // The store closed under a timed-out drain: the message stays held and is released at the next start.
      }
      onError?.(message.item, error, outcome);
    } finally {
      this.inFlight.delete(message.messageId);
    }
  }
}
