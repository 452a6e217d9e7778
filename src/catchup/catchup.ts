import {
  countByType,
  LOG_EVENT_TYPES,
  selectWork,
  type LogEvent,
  type SelectionTarget,
} from '../domain/hook-events';
import {
  eventTypeFilter,
  filterOfPollUrl,
  firstPollPath,
  MAX_LOG_PAGE,
  type LogPage,
} from '../okta/system-log';
import type { WorkQueue } from '../domain/work-queue';
import type { CursorStore, SavedCursor } from './cursor-store';

/** Okta logs this when an event hook delivery fails; it does not say which events were lost. */
export const HOOK_DELIVERY_FAILED_EVENT = 'event_hook.delivery';

/**
 * What the catch-up asks the System Log for: every event the product acts on (those a hook can't subscribe to, such
 * as `application.user_membership.change_username`, included), plus failed deliveries.
 */
export const CATCHUP_EVENT_TYPES: readonly string[] = [...LOG_EVENT_TYPES, HOOK_DELIVERY_FAILED_EVENT];

export interface CatchupLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface CatchupDeps {
  /** One System Log page for a path or a stored `next` URL (src/okta/system-log.ts `readLogPage`). */
  readPage: (pathOrUrl: string) => Promise<LogPage>;
  cursor: CursorStore;
  queue: WorkQueue;
  target: SelectionTarget;
  /** `application.lifecycle.*` of the Frontline app, as the receiver hands them on. */
  onAppConfigEvents?: (events: LogEvent[]) => Promise<void>;
  logger: CatchupLogger;
  now?: () => Date;
}

export interface CatchupOptions {
  /** The first run (no cursor) starts this far back. @default 900 */
  lookbackSeconds?: number;
  /** @default 1000 (Okta's maximum) */
  pageSize?: number;
  /** A backlog is paged over several runs rather than all at once. @default 10 */
  maxPages?: number;
  /**
   * Stop paging while the logs bucket has this many calls left or fewer (by `X-Rate-Limit-Remaining`): the
   * bucket is small and shared with every other System Log reader of the org. @default 2
   */
  reserveCalls?: number;
}

export interface CatchupSummary {
  pages: number;
  events: number;
  enqueued: number;
  /** `event_hook.delivery` events seen: hook deliveries Okta reports as failed. */
  failedDeliveries: number;
  /** The budget (pages, or the logs bucket's reserve) stopped the run before an empty page said it was read up. */
  backlog: boolean;
  fromCursor: boolean;
  /** Set when the saved cursor selected other event types: the run read again from this time (ISO 8601). */
  refilteredSince?: string;
}

/** Okta refuses a `since` more than 180 days back (E0000053): a restart never asks for more than this. */
const MAX_SINCE_MS = 179 * 24 * 3600 * 1000;

/**
 * Where a run starts: the saved cursor, or `lookbackSeconds` back on the first run. A cursor saved under another
 * filter (an upgrade changed CATCHUP_EVENT_TYPES) would keep selecting the old event types for good, so the run
 * starts again with the current filter from `lookbackSeconds` before the cursor was saved: the events of the old
 * types are read again (harmless: each is only a hint the worker converges on), those of the new ones for the
 * first time. A cursor whose URL carries no filter is followed as it is (nothing to compare).
 */
export function startOfRun(
  saved: SavedCursor | undefined,
  now: Date,
  lookbackSeconds: number,
):
  | { url: string; since?: undefined; refiltered: false }
  | { url?: undefined; since: Date; refiltered: boolean } {
  const lookbackMs = lookbackSeconds * 1000;
  if (!saved) return { since: new Date(now.getTime() - lookbackMs), refiltered: false };
  const filter = filterOfPollUrl(saved.url);
  if (filter === undefined || filter === eventTypeFilter(CATCHUP_EVENT_TYPES))
    return { url: saved.url, refiltered: false };
  const savedAt = saved.savedAt === undefined ? Number.NaN : Date.parse(saved.savedAt);
  const from = Number.isFinite(savedAt) ? Math.min(savedAt, now.getTime()) : now.getTime();
  return {
    since: new Date(Math.max(from - lookbackMs, now.getTime() - MAX_SINCE_MS)),
    refiltered: true,
  };
}

/**
 * One catch-up run: read the System Log from the saved cursor (or `lookbackSeconds` back on the first run),
 * select the events exactly as a hook delivery would be selected, enqueue the work, and only then save the
 * next cursor. The run follows `next` until a page comes back empty: Okta's documented end of a polling read
 * ("continue this process until no events are returned", System Log query reference). A short page is not the
 * end — a polling page need not be full while events still wait. An idle run costs one call (its empty page); a
 * run that finds events, one more.
 */
export async function runCatchup(deps: CatchupDeps, options: CatchupOptions = {}): Promise<CatchupSummary> {
  const pageSize = options.pageSize ?? MAX_LOG_PAGE;
  const maxPages = options.maxPages ?? 10;
  const reserve = options.reserveCalls ?? 2;
  const now = deps.now ?? (() => new Date());
  const saved = await deps.cursor.get();
  const start = startOfRun(saved, now(), options.lookbackSeconds ?? 900);
  let url = start.url ?? firstPollPath(start.since, CATCHUP_EVENT_TYPES, pageSize);
  if (start.refiltered) {
    deps.logger.info(
      'the catch-up selects other event types than its saved cursor: reading again from before it',
      {
        since: start.since.toISOString(),
      },
    );
  }
  const summary: CatchupSummary = {
    pages: 0,
    events: 0,
    enqueued: 0,
    failedDeliveries: 0,
    backlog: false,
    fromCursor: start.url !== undefined,
    ...(start.refiltered ? { refilteredSince: start.since.toISOString() } : {}),
  };
  for (;;) {
    const page = await deps.readPage(url);
    summary.pages += 1;
    summary.events += page.events.length;
    await handleEvents(deps, page.events, summary);
    if (!page.next) {
      // A polling answer always has one (Okta's reference); keep the old cursor rather than lose our place.
      deps.logger.warn('System Log answer without a next link; the cursor stays where it was', {});
      break;
    }
    await deps.cursor.save(page.next);
    url = page.next;
    if (page.events.length === 0) break;
    if (summary.pages >= maxPages || (page.remaining !== undefined && page.remaining <= reserve)) {
      summary.backlog = true;
      break;
    }
  }
  return summary;
}

async function handleEvents(deps: CatchupDeps, events: unknown[], summary: CatchupSummary): Promise<void> {
  const failed = events.filter(
    (e) => (e as { eventType?: unknown } | null)?.eventType === HOOK_DELIVERY_FAILED_EVENT,
  );
  if (failed.length > 0) {
    summary.failedDeliveries += failed.length;
    deps.logger.warn(
      'Okta reports failed event hook deliveries; the catch-up converges the events it logged',
      {
        failedDeliveries: failed.length,
        uuids: failed.map((e) => (e as { uuid?: unknown }).uuid),
      },
    );
  }
  const rest = events.filter((e) => !failed.includes(e));
  if (rest.length === 0) return;
  const selection = selectWork(rest, deps.target);
  // Enqueued before the cursor moves past them: a failure here throws and the next run reads the page again.
  if (selection.items.length > 0) await deps.queue.enqueue(selection.items);
  if (selection.appConfigEvents.length > 0) await deps.onAppConfigEvents?.(selection.appConfigEvents);
  summary.enqueued += selection.items.length;
  if (selection.items.length > 0 || selection.ignored.length > 0) {
    deps.logger.info('System Log catch-up page', {
      events: rest.length,
      enqueued: selection.items.length,
      userIds: selection.items.map((i) => i.userId),
      ignoredByType: countByType(selection.ignored),
    });
  }
}
