/**
 * What a failed SQLite call says about the store: another connection holds the lock (`busy`), the disk (or the
 * database's page limit) is full (`full`), or something else. better-sqlite3's SqliteError carries the result code
 * in `code`; our own errors wrap it as `cause`, so the chain is followed.
 */
export type StoreTrouble = 'busy' | 'full' | 'other';

export function storeTroubleOf(error: unknown): StoreTrouble {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
      if (code === 'SQLITE_FULL') return 'full';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return 'other';
}

export interface BusyRetry {
  /** Total time to keep trying, ms; the last error is thrown once it is used up. */
  budgetMs: number;
  /** @default 5 */
  firstWaitMs?: number;
  /** @default 100 */
  maxWaitMs?: number;
}

/**
 * Runs a synchronous store call, retrying while the database is busy. Each attempt blocks the event loop for at
 * most the connection's short busy_timeout; between attempts this awaits a timer, so other requests are served
 * while another process holds the lock. Any other error is thrown at once.
 */
export async function retryWhileBusy<T>(fn: () => T, options: BusyRetry): Promise<T> {
  const deadline = Date.now() + options.budgetMs;
  let wait = options.firstWaitMs ?? 5;
  for (;;) {
    try {
      return fn();
    } catch (error) {
      const left = deadline - Date.now();
      if (storeTroubleOf(error) !== 'busy' || left <= 0) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, left)));
      wait = Math.min(wait * 2, options.maxWaitMs ?? 100);
    }
  }
}
