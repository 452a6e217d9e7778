import { OktaPermanentError } from '../okta/errors';
import { storeTroubleOf } from '../sqlite/busy';
import type { QueueStats } from '../sqlite/work-queue';

export interface Health {
  status: 'ok' | 'degraded';
  reasons: string[];
  /** Absent when the database could not be read. */
  queue?: QueueStats;
}

/**
 * What `/healthz` can be degraded by besides dead letters and the hook's state, each set while its cause lasts
 * and cleared by the next success of the same thing: an item processed or an Okta run that succeeded clears
 * `credentials`, the next good catch-up or backstop run its own, the next committed enqueue (or store probe)
 * `deliveries`, the next good queue read `queue`.
 */
export type HealthCondition = 'credentials' | 'catchup' | 'backstop' | 'deliveries' | 'queue';

export class HealthBoard {
  private readonly conditions = new Map<HealthCondition, { text: string; since: string }>();

  /** Sets or updates a condition; it keeps the time it first began. */
  public set(condition: HealthCondition, text: string, now = new Date()): void {
    const since = this.conditions.get(condition)?.since ?? now.toISOString();
    this.conditions.set(condition, { text, since });
  }

  public clear(condition: HealthCondition): void {
    this.conditions.delete(condition);
  }

  public has(condition: HealthCondition): boolean {
    return this.conditions.has(condition);
  }

  public reasons(): string[] {
    return [...this.conditions.values()].map(({ text, since }) => `${text} (since ${since})`);
  }
}

/** Why a store call failed, in words an operator acts on; never item contents. */
export function describeStoreTrouble(error: unknown): string {
  switch (storeTroubleOf(error)) {
    case 'busy':
      return 'the database is locked by another process';
    case 'full':
      return 'the disk is full';
    default:
      return `the database fails (${error instanceof Error ? error.message : String(error)})`;
  }
}

export function errorSummary(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const CREDENTIALS_REJECTED = 'Okta rejects the credentials';

/** How serve's Okta work (items, catch-up and backstop runs) sets and clears its conditions. */
export function oktaRunHealth(board: HealthBoard) {
  return {
    /** The worker's credentials were refused even after a refresh. */
    rejected: (): void => board.set('credentials', CREDENTIALS_REJECTED),
    /** An item converged: Okta accepted the credentials. */
    processed: (): void => board.clear('credentials'),
    succeeded: (run: 'catchup' | 'backstop'): void => {
      board.clear(run);
      // A run that worked proves the credentials do again, whether or not an item is waiting to show it.
      board.clear('credentials');
    },
    failed: (run: 'catchup' | 'backstop', reason: unknown): void => {
      const what = run === 'catchup' ? 'System Log catch-up' : 'backstop reconcile';
      board.set(run, `${what} runs fail: ${typeof reason === 'string' ? reason : errorSummary(reason)}`);
      if (reason instanceof OktaPermanentError && reason.kind === 'auth')
        board.set('credentials', CREDENTIALS_REJECTED);
    },
  };
}
