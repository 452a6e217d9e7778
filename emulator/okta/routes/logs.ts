import { validation } from '../errors';
import type { LogEvent } from '../events';
import { parseExpression, type Expression } from '../filters';
import { ok, type ApiRequest } from '../http';
import type { Route } from '../router';
import type { PersistedEvent } from '../system-log';
import { eventMatches, invalidParameter } from './logs-match';
import { pollingPage } from './logs-polling';

/*
 * GET /api/v1/logs as developer.okta.com/docs/reference/system-log-query describes it:
 * - polling request (no `until`, `sortOrder=ASCENDING`): persistence order and persistence time, a `next` link
 *   always, even empty, and pages that need not be full (./logs-polling.ts);
 * - bounded request (otherwise): `published` order, finite pages;
 * - `since` (default 7 days back) and `after` are mutually exclusive; `after` is opaque and system-generated;
 * - `since` more than 180 days back: 400 E0000053; events older than 90 days are not returned;
 * - `filter` (SCIM: `eventType eq "…" or …`, `target.id eq "…"`, `and`), `q` (keywords, all must match), `limit`
 *   (default 100, max 1000).
 */

const DAY = 24 * 3600 * 1000;

function parseTime(req: ApiRequest, name: 'since' | 'until'): number | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return undefined;
  const t = Date.parse(raw);
  if (!Number.isFinite(t))
    throw validation([
      `${name}: The date format in your query is not recognized. Please enter dates using ISO8601 string format.`,
    ]);
  return t;
}

/** The cursor is the emulator's own: `p<seq>` for polling, `b<published>|<uuid>` for bounded pages. */
const encode = (s: string) => Buffer.from(s).toString('base64url');
const decode = (s: string) => Buffer.from(s, 'base64url').toString();

function parseFilter(text: string): Expression {
  try {
    return parseExpression(text, 'filter');
  } catch {
    throw invalidParameter(`Invalid filter '${text}'`);
  }
}

function listLogs(req: ApiRequest, entries: PersistedEvent[]) {
  const now = Date.now();
  const since = parseTime(req, 'since');
  const until = parseTime(req, 'until');
  const after = req.query.get('after');
  if (since !== undefined && after)
    throw invalidParameter('Invalid parameter: since and after are mutually exclusive.');
  if (since !== undefined && since < now - 180 * DAY)
    throw invalidParameter(
      'Invalid parameter: The since parameter is over 180 days prior to the current day.',
    );
  const sortOrder = (req.query.get('sortOrder') ?? 'ASCENDING').toUpperCase();
  if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING')
    throw validation(['sortOrder: must be ASCENDING or DESCENDING']);
  const rawLimit = Number.parseInt(req.query.get('limit') ?? '', 10);
  const limit = Number.isFinite(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, 1000) : 100;
  const filterText = req.query.get('filter');
  const filter = filterText ? parseFilter(filterText) : undefined;
  const keywords = (req.query.get('q') ?? '').split(/\s+/).filter(Boolean);
  if (keywords.some((k) => k.length > 40))
    throw validation([
      'q: Freeform search cannot contain items longer than 40 characters. Please shorten the items in your search or use an advanced filter to query by specific fields.',
    ]);
  const lower = since ?? now - 7 * DAY;
  const polling = until === undefined && sortOrder === 'ASCENDING';
  const selfUrl = new URL(req.path, req.baseUrl);
  for (const [k, v] of req.query) selfUrl.searchParams.append(k, v);
  const links = [`<${selfUrl.toString()}>; rel="self"`];
  const nextLink = (cursor: string) => {
    const next = new URL(selfUrl);
    next.searchParams.delete('since');
    next.searchParams.set('after', encode(cursor));
    next.searchParams.set('limit', String(limit));
    return `<${next.toString()}>; rel="next"`;
  };
  const cursor = after ? decode(after) : undefined;
  if (polling)
    return pollingPage(entries, { lower, after, cursor, limit, filter, keywords }, links, nextLink);
  const upper = until ?? now;
  const key = (e: LogEvent) => `${e.published}|${e.uuid}`;
  const sign = sortOrder === 'ASCENDING' ? 1 : -1;
  const bounded = entries
    .map((p) => p.event)
    .filter((e) => {
      const t = Date.parse(e.published);
      return t >= lower && t < upper && eventMatches(e, filter, keywords);
    })
    .sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
  const from = cursor?.startsWith('b') ? bounded.findIndex((e) => key(e) === cursor.slice(1)) + 1 : 0;
  const page = bounded.slice(from, from + limit);
  if (from + limit < bounded.length && page.length) links.push(nextLink(`b${key(page.at(-1)!)}`));
  return ok(page, { link: links });
}

export const logRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/logs',
    handler: (req, ctx) => listLogs(req, ctx.hooks.log.entries()),
  },
];
