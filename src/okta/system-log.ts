import { nextLink, oktaRaw, type RawOktaClient } from './http';
import { OktaTransientError } from './errors';

/**
 * Okta's System Log as a polling source (developer docs `reference/system-log-query`, "polling requests"): the
 * first request carries `since`, `sortOrder=ASCENDING` and no `until`; its answer — and every later one, even an
 * empty page — has a `Link: rel="next"` URL, which is the cursor. We never build `after` ourselves (it is
 * opaque and `since` can't be combined with it); the next URL is followed only on the org's origin (http.ts).
 */

/** Okta's maximum page size; a full page means more may be waiting. */
export const MAX_LOG_PAGE = 1000;

export interface LogPage {
  /** Raw LogEvents, in persistence order; parsed by the same selection as hook deliveries. */
  events: unknown[];
  /** The URL to poll next (the cursor); undefined only if Okta sent none. */
  next: string | undefined;
  /** What `X-Rate-Limit-Remaining` said for the logs bucket, when it was sent. */
  remaining: number | undefined;
}

/** The first polling request: `since` back from now, ascending, no `until`, filtered on the event types. */
export function firstPollPath(since: Date, eventTypes: readonly string[], limit = MAX_LOG_PAGE): string {
  const params = new URLSearchParams({
    since: since.toISOString(),
    sortOrder: 'ASCENDING',
    limit: String(limit),
  });
  if (eventTypes.length > 0) params.set('filter', eventTypeFilter(eventTypes));
  return `/api/v1/logs?${params.toString()}`;
}

/** The System Log filter (SCIM) selecting these event types. */
export function eventTypeFilter(eventTypes: readonly string[]): string {
  return eventTypes.map((t) => `eventType eq "${t}"`).join(' or ');
}

/**
 * The filter a stored `next` URL carries: Okta's next link repeats the request's query but for `since`, which
 * becomes `after` (the cursor itself stays opaque: only `filter` is read). Undefined when it carries none.
 */
export function filterOfPollUrl(url: string): string | undefined {
  try {
    return new URL(url, 'https://org.invalid').searchParams.get('filter') ?? undefined;
  } catch {
    return undefined;
  }
}

/** One page: `pathOrUrl` is `firstPollPath(…)` or a stored `next` URL. */
export async function readLogPage(client: RawOktaClient, pathOrUrl: string): Promise<LogPage> {
  const response = await oktaRaw(client, pathOrUrl, 'read the System Log');
  let events: unknown;
  try {
    events = JSON.parse(response.text || '[]');
  } catch (err) {
    throw new OktaTransientError('read the System Log: the answer is not JSON', { cause: err });
  }
  if (!Array.isArray(events)) {
    throw new OktaTransientError('read the System Log: the answer is not a list of events');
  }
  const remainingHeader = response.headers.get('x-rate-limit-remaining');
  const remaining = remainingHeader === null ? undefined : Number(remainingHeader);
  return {
    events,
    next: nextLink(response.headers.get('link')),
    remaining: remaining !== undefined && Number.isFinite(remaining) ? remaining : undefined,
  };
}
