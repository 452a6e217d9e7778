import type { LogEvent } from '../events';
import type { Expression } from '../filters';
import { ok, type Reply } from '../http';
import type { PersistedEvent } from '../system-log';
import { eventMatches, invalidParameter } from './logs-match';

export interface PollingQuery {
  /** `since` (or its 7-day default), compared with the persistence time. */
  lower: number;
  after: string | null;
  /** The decoded `after` cursor. */
  cursor: string | undefined;
  limit: number;
  filter: Expression | undefined;
  keywords: string[];
}

/**
 * One page of a polling request (no `until`, `sortOrder=ASCENDING`; System Log query reference, "Polling requests"):
 * - persistence order, and `since` compared with the persistence time, so an event persisted late is found by a
 *   poll whose `since` is past its `published`;
 * - a `next` link always, even on an empty page;
 * - a page is not always filled: the reference promises no full pages and says to follow `next` "until no events
 *   are returned". The emulator looks at no more than `limit` persisted events per page (its model of Okta reading
 *   one slice of the log per request), so with a `filter` or `q` a page can come back short while matching events
 *   still wait behind it. It keeps reading past the slice only while the page is still empty, so an empty page is
 *   returned only when nothing matching is left: the documented end.
 */
export function pollingPage(
  entries: PersistedEvent[],
  q: PollingQuery,
  links: string[],
  nextLink: (cursor: string) => string,
): Reply {
  const afterSeq = q.cursor?.startsWith('p') ? Number(q.cursor.slice(1)) : undefined;
  if (q.after && (afterSeq === undefined || !Number.isFinite(afterSeq)))
    throw invalidParameter('Invalid parameter: after');
  const candidates = entries.filter((p) =>
    afterSeq !== undefined ? p.seq > afterSeq : p.persistedAt >= q.lower,
  );
  const page: LogEvent[] = [];
  let scanned = 0;
  let cursor = afterSeq ?? 0;
  for (const p of candidates) {
    if (page.length === q.limit || (scanned >= q.limit && page.length > 0)) break;
    scanned += 1;
    cursor = p.seq;
    if (eventMatches(p.event, q.filter, q.keywords)) page.push(p.event);
  }
  // Nothing left to look at: the cursor moves past everything persisted so far (an empty page's `next` included).
  if (scanned === candidates.length) cursor = Math.max(cursor, entries.at(-1)?.seq ?? 0);
  links.push(nextLink(`p${cursor}`));
  return ok(page, { link: links });
}
