import type { WorkItem } from '../domain/work-item';
import type { OktaOutage } from '../worker/okta-outage';
import { retryWhileBusy, storeTroubleOf } from '../sqlite/busy';
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
  /**
   * The queue could not be read or written (another process holds the database's lock, or worse): called on each
   * failure, retried with backoff; `onStoreRecovered` on the first good read after.
   */
  onStoreError?: (error: unknown) => void;
  onStoreRecovered?: () => void;
  /**
   * Retries of transient failures by Okta's state rather than each item's own (src/worker/okta-outage.ts): waits
   * grow while Okta keeps failing, and parked items come back within seconds once it answers. Without it each
   * item backs off on its own (the queue's `backoff`).
   */
  outage?: OktaOutage;
  /** Which failures are Okta (or Twilio) failing transiently, the ones `outage` plans. */
  isTransient?: (error: unknown) => boolean;
}

export interface DrainReport {
  /** Messages still queued (not yet processed) when the drain finished or gave up. */
  leftQueued: number;
  /** Set when the counts could not be read (the database stayed locked): why; the counts are then 0. */
  countsUnavailable?: string;
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
  private storeFailing = false;
  private lastWakeAt = 0;

  public constructor(private readonly options: ConsumerOptions) {}

  public start(): void {
    if (this.running) return;
    this.running = true;
    const concurrency = Math.max(1, this.options.concurrency ?? 4);
    for (let i = 0; i < concurrency; i += 1) this.loops.push(this.loop());
  }

  /**
   * Okta answered (an item converged, or a catch-up or backstop run worked): when that ends an outage, every item
   * parked by a transient failure comes back within seconds. At most one wake a second: under partial failures
   * outages open and end all the time.
   */
  public oktaAnswered(): void {
    const { outage, queue } = this.options;
    if (!outage?.answered() || Date.now() - this.lastWakeAt < 1_000) return;
    this.lastWakeAt = Date.now();
    try {
      queue.wakeParked(() => outage.wakeDelayMs());
    } catch (error) {
      // Not woken: they come back when their own wait ends.
      this.storeError(error);
    }
  }

  /** Resolves when the queue is empty and nothing is in flight (dead letters don't count), or after timeoutMs. */
  public async idle(timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const idle = (): boolean => {
      try {
        return this.inFlight.size === 0 && this.options.queue.isEmpty();
      } catch {
        return false;
      }
    };
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
    const leftInFlight = [...this.inFlight.values()].map((i) => i.userId);
    try {
      const stats = await retryWhileBusy(() => this.options.queue.stats(), { budgetMs: 1_000 });
      return {
        leftQueued: Math.max(0, stats.queued + stats.inFlight - leftInFlight.length),
        leftInFlight,
        dead: stats.dead,
      };
    } catch (error) {
      // The last line is still printed: what was in flight is known, the rest stays in the database anyway.
      const why = error instanceof Error ? error.message : String(error);
      return { leftQueued: 0, leftInFlight, dead: 0, countsUnavailable: why };
    }
  }

  private async loop(): Promise<void> {
    const { queue } = this.options;
    const pollMs = this.options.pollMs ?? 250;
    let storeWaitMs = 0;
    while (this.running) {
      let message: QueueMessage | undefined;
      try {
        message = queue.receive();
      } catch (error) {
        // Never fatal: a lock held by another process (or a full disk) passes; the queue is read again later.
        this.storeError(error);
        storeWaitMs = Math.min(Math.max(50, storeWaitMs * 2), 1_000);
        await queue.waitForChange(storeWaitMs);
        continue;
      }
      storeWaitMs = 0;
      if (this.storeFailing) {
        this.storeFailing = false;
        this.options.onStoreRecovered?.();
      }
      if (!message) {
        const next = queue.nextVisibleAt();
        const wait = next === undefined ? pollMs : Math.max(1, Math.min(pollMs, next - Date.now()));
        await queue.waitForChange(wait);
        continue;
      }
      await this.handle(message);
    }
  }

  private storeError(error: unknown): void {
    // After a timed-out drain the store may be closed under a late item: that is shutdown, not trouble.
    if (!this.running) return;
    this.storeFailing = true;
    this.options.onStoreError?.(error);
  }

  /**
   * A store call that failed once: retried from timers while the database is busy, else given up (undefined).
   * The first try is made by the caller synchronously, so an ack lands in the same tick as the processing ends and
   * `idle()` sees it at once.
   */
  private async retryStore<T>(fn: () => T, first: unknown): Promise<T | undefined> {
    try {
      if (storeTroubleOf(first) !== 'busy') throw first;
      return await retryWhileBusy(fn, { budgetMs: 5_000 });
    } catch (error) {
      this.storeError(error);
      return undefined;
    }
  }

  private async handle(message: QueueMessage): Promise<void> {
    const { queue, process, retryAtOf, onError, stopping } = this.options;
    this.inFlight.set(message.messageId, message.item);
    try {
      await process(message.item);
      this.oktaAnswered();
      try {
        queue.ack(message);
      } catch (error) {
        // Not acknowledged in the end: the message comes back after its visibility timeout, and the worker's next
        // pass is a no-change read.
        await this.retryStore(() => queue.ack(message), error);
      }
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // Cut off by shutdown: back on the queue as it was, the attempt not counted.
      const retryAt = stopping?.() ? Date.now() : retryAtOf?.(error);
      const { outage, isTransient } = this.options;
      const plan = retryAt === undefined && outage && isTransient?.(error) ? outage.failed() : undefined;
      let outcome: 'retry' | 'dead' | 'stale';
      try {
        outcome = queue.fail(message, reason, retryAt, plan);
      } catch (failError) {
        // Not recorded in the end (the store closed under a timed-out drain, or stayed locked): the message stays
        // held until its visibility timeout (or the next start) hands it out again.
        outcome =
          (await this.retryStore(() => queue.fail(message, reason, retryAt, plan), failError)) ?? 'stale';
      }
      onError?.(message.item, error, outcome);
    } finally {
      this.inFlight.delete(message.messageId);
    }
  }
}
