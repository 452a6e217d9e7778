import type { WorkItem } from '../work/work-item';
import type { LocalFifoQueue, QueueMessage } from './fifo-queue';

export interface ConsumerOptions {
  queue: LocalFifoQueue;
  /** Processes one item; throws to have it retried (or dead-lettered after max receives). */
  process: (item: WorkItem) => Promise<void>;
  /** When the error says "not before T" (a 429's reset), the epoch ms T; undefined for ordinary backoff. */
  retryAtOf?: (error: unknown) => number | undefined;
  /** Parallel consumers, like Lambda's SQS maxConcurrency. @default 4 */
  concurrency?: number;
  onError?: (item: WorkItem, error: unknown, willRetry: boolean) => void;
}

export interface DrainReport {
  /** Messages still queued (not yet processed) when the drain gave up or finished. */
  leftQueued: number;
  /** Messages whose processing was still running when the drain timed out. */
  leftInFlight: number;
  dead: number;
}

/**
 * The local equivalent of Lambda's SQS event source: a few loops that receive, process, and ack or fail.
 * `stop()` stops receiving and waits for in-flight items, which is what SIGTERM should do.
 */
export class LocalConsumer {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private inFlight = 0;

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
    while (Date.now() < deadline) {
      if (this.options.queue.isEmpty() && this.inFlight === 0) return true;
      await this.options.queue.waitForChange(Math.min(100, deadline - Date.now()));
    }
    return this.options.queue.isEmpty() && this.inFlight === 0;
  }

  /** Stops receiving; waits up to timeoutMs for in-flight work; reports what was left. */
  public async stop(timeoutMs = 10_000): Promise<DrainReport> {
    this.running = false;
    const all = Promise.all(this.loops).then(() => true);
    const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    await Promise.race([all, timedOut]);
    const stats = this.options.queue.stats();
    return { leftQueued: stats.queued, leftInFlight: this.inFlight, dead: stats.dead };
  }

  private async loop(): Promise<void> {
    const { queue } = this.options;
    while (this.running) {
      const message = queue.receive();
      if (!message) {
        const next = queue.nextVisibleAt();
        const wait = next === undefined ? 250 : Math.max(1, Math.min(250, next - Date.now()));
        await queue.waitForChange(wait);
        continue;
      }
      await this.handle(message);
    }
  }

  private async handle(message: QueueMessage): Promise<void> {
    const { queue, process, retryAtOf, onError } = this.options;
    const receiptHandle = message.receiptHandle;
    if (receiptHandle === undefined) return;
    this.inFlight += 1;
    try {
      await process(message.item);
      queue.ack(message, receiptHandle);
    } catch (error) {
      const retryAt = retryAtOf?.(error);
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      queue.fail(message, receiptHandle, reason, retryAt);
      onError?.(
        message.item,
        error,
        queue.deadLetters().every((d) => d.messageId !== message.messageId),
      );
    } finally {
      this.inFlight -= 1;
    }
  }
}
