import type { Logger } from '@aws-lambda-powertools/logger';
import type { WorkQueue } from '../domain/work-queue';
import type { LocalDatabase } from '../sqlite/database';
import type { SqliteWorkQueue } from '../sqlite/work-queue';
import { describeStoreTrouble, type HealthBoard } from './health';

/** About what a full delivery commits (200 items): a probe that fits can be taken to mean a delivery would. */
const PROBE_BYTES = 64 * 1024;

/**
 * The store's side of health: enqueues (deliveries, catch-up, backstop) that can't be committed mark deliveries as
 * refused until one commits again, checked meanwhile by a probe every second that commits a delivery-sized row and
 * deletes it (the disk freed, the other process's lock gone), so the reason goes with its cause even when no
 * delivery arrives to show it.
 */
export function storeWatch(db: LocalDatabase, queue: SqliteWorkQueue, board: HealthBoard, logger: Logger) {
  const write = db.prepare(
    "INSERT INTO meta (key, value) VALUES ('store-probe', zeroblob(?)) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const remove = db.prepare("DELETE FROM meta WHERE key = 'store-probe'");
  const probe = (): void => {
    write.run(PROBE_BYTES);
    remove.run();
  };
  let timer: NodeJS.Timeout | undefined;
  const recovered = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (board.has('deliveries')) logger.info('deliveries can be committed again', {});
    board.clear('deliveries');
  };
  const accepting: WorkQueue = {
    enqueue: async (items) => {
      try {
        await queue.enqueue(items);
      } catch (error) {
        board.set('deliveries', `deliveries are refused (503): ${describeStoreTrouble(error)}`);
        timer ??= setInterval(() => {
          try {
            probe();
            recovered();
          } catch {
            // Still failing: the next tick tries again.
          }
        }, 1_000).unref();
        throw error;
      }
      recovered();
    },
  };
  return {
    accepting,
    queueFailed: (error: unknown): void => {
      if (!board.has('queue'))
        logger.warn('the queue cannot be used; retrying', { reason: describeStoreTrouble(error) });
      board.set('queue', `the queue cannot be used: ${describeStoreTrouble(error)}`);
    },
    queueRecovered: (): void => {
      board.clear('queue');
      logger.info('the queue can be used again', {});
    },
    stop: (): void => {
      if (timer) clearInterval(timer);
    },
  };
}
