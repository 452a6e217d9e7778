import type { LogEvent } from './events';

/** Okta keeps System Log events 90 days ("Data retention", System Log query reference). */
export const RETENTION_MS = 90 * 24 * 3600 * 1000;

export interface PersistedEvent {
  /** Persistence order: what polling requests sort by and what their cursor points at. */
  seq: number;
  /**
   * When it was persisted (epoch ms): a polling request's `since` filters on this, "time filtered by their internal
   * 'persistence time' to avoid skipping records due to system delays" (System Log query reference, "Polling
   * requests"), not on `published`.
   */
  persistedAt: number;
  event: LogEvent;
}

export interface LogPersistFaults {
  /** Share (0..1) of events persisted late, after events published later. @default 0 */
  logDelayRate: number;
  /** How late, ms. @default 2000 */
  logDelayMs: number;
}

/**
 * The org's System Log. Events are kept in persistence order, which is not always `published` order: Okta's polling
 * requests "are ordered by the internal persistence time … They may return events out of order according to the
 * `published` field" (developer.okta.com/docs/reference/system-log-query, "Polling requests"). A fault can hold an
 * event back so it is persisted after later ones, keeping its older `published` time.
 */
export class SystemLog {
  private readonly persisted: PersistedEvent[] = [];
  private readonly held = new Map<LogEvent, NodeJS.Timeout>();
  private seq = 0;

  constructor(
    public faults: LogPersistFaults,
    private readonly random: () => number,
  ) {}

  /** Records an event, now or (fault) after `logDelayMs`. */
  record(event: LogEvent): void {
    const f = this.faults;
    if (f.logDelayRate > 0 && this.random() < f.logDelayRate) {
      const timer = setTimeout(() => this.release(event), f.logDelayMs);
      timer.unref();
      this.held.set(event, timer);
      return;
    }
    this.persist(event);
  }

  /** Persists an event as given (any `published` time), as a late write would. */
  persist(event: LogEvent): void {
    this.seq += 1;
    this.persisted.push({ seq: this.seq, persistedAt: Date.now(), event });
  }

  /** Persists every held-back event now. */
  flush(): void {
    for (const event of [...this.held.keys()]) this.release(event);
  }

  private release(event: LogEvent): void {
    const timer = this.held.get(event);
    if (!timer) return;
    clearTimeout(timer);
    this.held.delete(event);
    this.persist(event);
  }

  /** Persisted events within retention, in persistence order. */
  entries(now = Date.now()): PersistedEvent[] {
    return this.persisted.filter((p) => Date.parse(p.event.published) > now - RETENTION_MS);
  }

  lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    for (const t of this.held.values()) clearTimeout(t);
    this.held.clear();
    this.persisted.length = 0;
    this.seq = 0;
  }
}
