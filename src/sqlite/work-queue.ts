import { randomUUID } from 'node:crypto';
import type { WorkQueue } from '../domain/work-queue';
import { deduplicationId, messageGroupId, WorkItemSchema, type WorkItem } from '../domain/work-item';
import { backoffMs, type BackoffPolicy } from './backoff';
import { retryWhileBusy } from './busy';
import { LocalStoreError } from './errors';
import type { LocalDatabase } from './database';

/**
 * The local work queue, kept in SQLite with the SQS FIFO semantics the worker relies on:
 * - per message group (= user id) strict order, and never two messages of one group in flight at once;
 * - deduplication on the Lambda path's deduplication id within a window (SQS: 5 minutes);
 * - a visibility timeout: a message not acknowledged in time becomes receivable again (also after a crash);
 * - attempts counted per receive, except a rate-limited one; `maxReceives` counted attempts move it to dead letters.
 */
export interface SqliteQueueOptions {
  /** @default 30000 */
  visibilityTimeoutMs?: number;
  /** @default 20 (the Lambda path's maxReceiveCount) */
  maxReceives?: number;
  /** @default 300000 (SQS FIFO's five minutes) */
  deduplicationWindowMs?: number;
  /** @default 5 s doubling up to 300 s */
  backoff?: BackoffPolicy;
  /**
   * How long `enqueue` keeps retrying while another process holds the write lock before it gives up (and the
   * receiver answers 503, which Okta retries). Okta waits 3 s for the answer. @default 1000
   */
  commitBudgetMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly item: WorkItem;
  readonly attempts: number;
  readonly receiptHandle: string;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly item: WorkItem;
  readonly attempts: number;
  readonly lastError: string;
  readonly enqueuedAt: number;
  readonly deadAt: number;
}

export interface QueueStats {
  queued: number;
  inFlight: number;
  dead: number;
}

interface MessageRow {
  id: string;
  body: string;
  attempts: number;
}
interface DeadRow {
  id: string;
  body: string;
  attempts: number;
  last_error: string;
  enqueued_at: number;
  dead_at: number;
}

export class SqliteWorkQueue implements WorkQueue {
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceives: number;
  private readonly dedupWindowMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly commitBudgetMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly waiters = new Set<() => void>();
  /** Messages waiting out a transient failure's backoff (not a 429's reset): what `wakeParked` brings back. */
  private readonly parked = new Set<string>();
  /** When each message last used up an attempt on a failure (see `fail`). */
  private readonly chargedAt = new Map<string, number>();
  private readonly insertMany: (items: readonly WorkItem[], now: number) => number;

  public constructor(
    private readonly db: LocalDatabase,
    options: SqliteQueueOptions = {},
  ) {
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceives = options.maxReceives ?? 20;
    this.dedupWindowMs = options.deduplicationWindowMs ?? 300_000;
    this.backoff = options.backoff ?? { baseMs: 5_000, maxMs: 300_000 };
    this.commitBudgetMs = options.commitBudgetMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    const pruneDedup = db.prepare('DELETE FROM dedup WHERE at <= ?');
    const claimDedup = db.prepare(
      'INSERT INTO dedup (id, at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at WHERE dedup.at <= ?',
    );
    const insert = db.prepare(
      'INSERT INTO messages (id, group_id, body, attempts, visible_at, enqueued_at) VALUES (?, ?, ?, 0, ?, ?)',
    );
    // One transaction per call: every item of a delivery is committed, or none is.
    this.insertMany = db.transaction((items: readonly WorkItem[], now: number) => {
      pruneDedup.run(now - this.dedupWindowMs);
      let added = 0;
      for (const item of items) {
        if (claimDedup.run(deduplicationId(item), now, now - this.dedupWindowMs).changes === 0) continue;
        insert.run(randomUUID(), messageGroupId(item), JSON.stringify(item), now, now);
        added += 1;
      }
      return added;
    });
  }

  /**
   * Resolves once every item is committed (or was a duplicate within the window); rejects when nothing was,
   * after retrying a busy database for up to `commitBudgetMs` without blocking the event loop.
   */
  public async enqueue(items: readonly WorkItem[]): Promise<void> {
    await retryWhileBusy(() => this.enqueueNow(items), { budgetMs: this.commitBudgetMs });
  }

  /** The synchronous core of `enqueue`; returns how many items were new. */
  public enqueueNow(items: readonly WorkItem[]): number {
    if (items.length === 0) return 0;
    let added: number;
    try {
      added = this.insertMany(items, this.now());
    } catch (err) {
      throw new LocalStoreError(`could not commit ${items.length} work item(s): ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (added > 0) this.wake();
    return added;
  }

  /**
   * The next receivable message: the head of a group that is visible (never received, or its visibility timeout
   * has passed) — undefined when nothing is receivable now.
   */
  public receive(): QueueMessage | undefined {
    const now = this.now();
    const receipt = randomUUID();
    const row = this.db
      .prepare(
        `UPDATE messages SET attempts = attempts + 1, receipt = ?, visible_at = ?
         WHERE seq = (
           SELECT m.seq FROM messages m
           WHERE m.visible_at <= ? AND m.seq = (SELECT MIN(seq) FROM messages h WHERE h.group_id = m.group_id)
           ORDER BY m.visible_at, m.seq LIMIT 1)
         RETURNING id, body, attempts`,
      )
      .get(receipt, now + this.visibilityTimeoutMs, now) as MessageRow | undefined;
    if (!row) return undefined;
    this.parked.delete(row.id);
    return { messageId: row.id, item: parseItem(row.body), attempts: row.attempts, receiptHandle: receipt };
  }

  /** Processing succeeded: delete the message, only with its current receipt handle (as SQS). */
  public ack(message: QueueMessage): boolean {
    const changed = this.db
      .prepare('DELETE FROM messages WHERE id = ? AND receipt = ?')
      .run(message.messageId, message.receiptHandle).changes;
    this.chargedAt.delete(message.messageId);
    this.wake();
    return changed > 0;
  }

  /**
   * Processing failed. Rate-limited (`retryAt` given): back no earlier than then, and the attempt is given back.
   * Otherwise: back after the backoff — the item's own, or `plan.delayMs` when the caller plans it by Okta's state
   * (src/worker/okta-outage.ts) — or to the dead letters once `maxReceives` attempts are used up. A planned retry
   * may come sooner than the item's own backoff would allow (a probe, a wake after an outage); it then uses up an
   * attempt only when that backoff has passed since the last one that did, so the attempts, and the time before a
   * dead letter, go as the documented schedule does however often the item is tried. Returns what happened.
   */
  public fail(
    message: QueueMessage,
    reason: string,
    retryAt?: number,
    plan?: { delayMs: number },
  ): 'retry' | 'dead' | 'stale' {
    const now = this.now();
    const outcome = this.db.transaction((): 'retry' | 'dead' | 'stale' => {
      const row = this.db
        .prepare('SELECT attempts, enqueued_at, group_id FROM messages WHERE id = ? AND receipt = ?')
        .get(message.messageId, message.receiptHandle) as
        { attempts: number; enqueued_at: number; group_id: string } | undefined;
      if (!row) return 'stale';
      const last = this.chargedAt.get(message.messageId);
      const early = plan && last !== undefined && now - last < backoffMs(this.backoff, row.attempts - 1, 0);
      if (retryAt !== undefined || early) {
        this.db
          .prepare(
            'UPDATE messages SET attempts = MAX(0, attempts - 1), receipt = NULL, visible_at = ?, last_error = ? WHERE id = ?',
          )
          .run(
            retryAt !== undefined ? Math.max(now, retryAt) : now + plan!.delayMs,
            reason,
            message.messageId,
          );
        return 'retry';
      }
      this.chargedAt.set(message.messageId, now);
      if (row.attempts >= this.maxReceives) {
        this.db
          .prepare(
            `INSERT INTO dead_letters (id, user_id, body, attempts, last_error, enqueued_at, dead_at)
             SELECT id, group_id, body, attempts, ?, enqueued_at, ? FROM messages WHERE id = ?`,
          )
          .run(reason, now, message.messageId);
        this.db.prepare('DELETE FROM messages WHERE id = ?').run(message.messageId);
        return 'dead';
      }
      const delayMs = plan?.delayMs ?? backoffMs(this.backoff, row.attempts, this.random());
      this.db
        .prepare('UPDATE messages SET receipt = NULL, visible_at = ?, last_error = ? WHERE id = ?')
        .run(now + delayMs, reason, message.messageId);
      return 'retry';
    })();
    if (outcome === 'retry' && retryAt === undefined) this.parked.add(message.messageId);
    else this.parked.delete(message.messageId);
    if (outcome !== 'retry') this.chargedAt.delete(message.messageId);
    this.wake();
    return outcome;
  }

  /** Okta answers again: messages parked by a transient failure come back, each after `delayMs()` (jittered). */
  public wakeParked(delayMs: () => number): number {
    if (this.parked.size === 0) return 0;
    const now = this.now();
    const update = this.db.prepare(
      'UPDATE messages SET visible_at = @at WHERE id = @id AND receipt IS NULL AND visible_at > @at',
    );
    const ids = [...this.parked];
    this.parked.clear();
    const woken = this.db.transaction(() => {
      let n = 0;
      for (const id of ids) n += update.run({ at: now + delayMs(), id }).changes;
      return n;
    })();
    if (woken > 0) this.wake();
    return woken;
  }

  /**
   * Gives messages held by a process that is gone back to the queue. Only the one `serve` process receives from
   * this database, so at its start nothing can legitimately be held; the attempt it was on is given back too.
   */
  public releaseAbandoned(): number {
    return this.db
      .prepare(
        'UPDATE messages SET receipt = NULL, visible_at = ?, attempts = MAX(0, attempts - 1) WHERE receipt IS NOT NULL',
      )
      .run(this.now()).changes;
  }

  /** Moves dead letters back onto the queue with fresh attempts (all of them when `ids` is undefined). */
  public replay(ids?: readonly string[]): { replayed: string[]; unknown: string[] } {
    const now = this.now();
    return this.db.transaction(() => {
      const rows = (
        ids === undefined
          ? this.db.prepare('SELECT id, body FROM dead_letters ORDER BY dead_at').all()
          : ids.map((id) => this.db.prepare('SELECT id, body FROM dead_letters WHERE id = ?').get(id))
      ) as ({ id: string; body: string } | undefined)[];
      const replayed: string[] = [];
      const insert = this.db.prepare(
        'INSERT INTO messages (id, group_id, body, attempts, visible_at, enqueued_at) VALUES (?, ?, ?, 0, ?, ?)',
      );
      for (const row of rows) {
        if (!row) continue;
        insert.run(row.id, messageGroupId(parseItem(row.body)), row.body, now, now);
        this.db.prepare('DELETE FROM dead_letters WHERE id = ?').run(row.id);
        replayed.push(row.id);
      }
      const known = new Set(replayed);
      return { replayed, unknown: (ids ?? []).filter((id) => !known.has(id)) };
    })();
  }

  public purgeDeadLetters(): number {
    return this.db.prepare('DELETE FROM dead_letters').run().changes;
  }

  public deadLetters(): DeadLetter[] {
    const rows = this.db.prepare('SELECT * FROM dead_letters ORDER BY dead_at').all() as DeadRow[];
    return rows.map((r) => ({
      messageId: r.id,
      item: parseItem(r.body),
      attempts: r.attempts,
      lastError: r.last_error,
      enqueuedAt: r.enqueued_at,
      deadAt: r.dead_at,
    }));
  }

  public stats(): QueueStats {
    return queueStats(this.db, this.now());
  }

  public isEmpty(): boolean {
    return this.db.prepare('SELECT 1 FROM messages LIMIT 1').get() === undefined;
  }

  /** The earliest time any message becomes visible, if there are messages. */
  public nextVisibleAt(): number | undefined {
    const row = this.db.prepare('SELECT MIN(visible_at) AS at FROM messages').get() as { at: number | null };
    return row.at ?? undefined;
  }

  /** Resolves on the next change made by this process, or after `maxWaitMs` (other processes are polled). */
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

function parseItem(body: string): WorkItem {
  return WorkItemSchema.parse(JSON.parse(body));
}

/** Queued, in flight and dead: one read, for the queue itself and for `status`'s read-only look at serve's database. */
export function queueStats(db: Pick<LocalDatabase, 'prepare'>, now: number): QueueStats {
  const row = db
    .prepare(
      `SELECT
         (SELECT COUNT(*) FROM messages) AS total,
         (SELECT COUNT(*) FROM messages WHERE receipt IS NOT NULL AND visible_at > ?) AS held,
         (SELECT COUNT(*) FROM dead_letters) AS dead`,
    )
    .get(now) as { total: number; held: number; dead: number };
  return { queued: row.total - row.held, inFlight: row.held, dead: row.dead };
}
