import type { LocalDatabase } from './database';

/**
 * The last backstop reconcile, kept in the local database's `meta` table so `status` (another process) can say when
 * the promised reconcile last ran and what it did. One row, overwritten by each run.
 */
export const LAST_RECONCILE_KEY = 'last-reconcile';

export interface ReconcileRun {
  /** When the run finished (ISO 8601). */
  at: string;
  outcome: 'planned' | 'guard-tripped' | 'failed';
  plannedChanges: number;
  enqueued: number;
  /** For `failed` and `guard-tripped`: why. */
  reason?: string;
}

export function recordReconcileRun(db: LocalDatabase, run: ReconcileRun): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(LAST_RECONCILE_KEY, JSON.stringify(run));
}

/** The last run, or undefined when none was recorded (or the record is unreadable: status must not fail on it). */
export function readReconcileRun(db: LocalDatabase): ReconcileRun | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(LAST_RECONCILE_KEY) as
    { value: string } | undefined;
  if (!row) return undefined;
  try {
    const run = JSON.parse(row.value) as Partial<ReconcileRun>;
    return typeof run.at === 'string' && typeof run.outcome === 'string' ? (run as ReconcileRun) : undefined;
  } catch {
    return undefined;
  }
}
