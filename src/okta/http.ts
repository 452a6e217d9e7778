import type { Client } from '@okta/okta-sdk-nodejs';
import { toOktaError } from './client';
import { OktaForeignLinkError } from './errors';
import { notOktasAnswer, notOktasReason } from './okta-answer';

/**
 * Raw HTTP to Okta through the SDK's `client.http.http`: the SDK's models drop fields they don't know, so whatever
 * must keep Okta's JSON as sent (app repairs, lists with embedded users) goes through here. The client's request
 * executor (rate governor, 429 retries) still applies. Errors become our OktaError classes; an answer that is not
 * Okta's (./okta-answer.ts: an error without Okta's error object, a 2xx not in the media type asked for) is a
 * transient failure, checked here on the text itself as well, whatever client carries the request.
 */

/** The part of the SDK client these adapters use; a `createOktaClient` client fits. */
export type RawOktaClient = Pick<Client, 'http' | 'baseUrl'>;

export interface RawResponse {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export interface RawRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  accept?: string;
}

/** One call, errors mapped to our OktaError classes. `pathOrUrl` is an API path or an absolute `next` link. */
export async function oktaRaw(
  client: RawOktaClient,
  pathOrUrl: string,
  context: string,
  request: RawRequest = {},
): Promise<RawResponse> {
  const url = resolveUrl(client, pathOrUrl, context);
  const accept = request.accept ?? 'application/json';
  const headers: Record<string, string> = { Accept: accept };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const init = {
      method: request.method ?? 'GET',
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    };
    // The SDK types its options with node-fetch's RequestInit, whose types aren't installed; the shape is fetch's.
    const response = await client.http.http(
      url,
      init as unknown as Parameters<RawOktaClient['http']['http']>[1],
    );
    const text = await response.text();
    const reason = notOktasReason({
      status: response.status,
      contentType: response.headers.get('content-type'),
      accept,
      hasBody: text.trim() !== '',
    });
    if (reason) throw notOktasAnswer(context, response.status, reason);
    return { status: response.status, headers: response.headers, text };
  } catch (err) {
    throw toOktaError(err, context);
  }
}

export async function oktaJson<T = unknown>(
  client: RawOktaClient,
  pathOrUrl: string,
  context: string,
  request: RawRequest = {},
): Promise<T> {
  const response = await oktaRaw(client, pathOrUrl, context, request);
  if (response.text.trim() === '') return undefined as T;
  return parseJson<T>(response.text, context);
}

/**
 * An API path on the org, or an absolute URL Okta gave us (a `Link: rel="next"`), which is followed only on the
 * org's own origin: the request carries the API token, and a link elsewhere (a proxy's rewrite, a tampered
 * response) must not receive it.
 */
function resolveUrl(client: RawOktaClient, pathOrUrl: string, context: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) return `${client.baseUrl}${pathOrUrl}`;
  const org = new URL(client.baseUrl).origin;
  let origin: string;
  try {
    origin = new URL(pathOrUrl).origin;
  } catch (err) {
    throw new OktaForeignLinkError(`${context}: Okta sent a link that is not a URL`, { cause: err });
  }
  if (origin !== org) {
    throw new OktaForeignLinkError(
      `${context}: Okta's link points to ${origin}, not to the org ${org}; not following it (it would carry the API token)`,
    );
  }
  return pathOrUrl;
}

/** A body that should be JSON; anything else (a proxy's HTML error page…) is a transient Okta failure. */
function parseJson<T>(text: string, context: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw toOktaError(Object.assign(new Error('response is not JSON'), { cause: err }), context);
  }
}

/** The `rel="next"` URL of a Link header (several links may share one header, comma-separated), as given. */
export function nextLink(linkHeader: string | null): string | undefined {
  if (!linkHeader) return undefined;
  for (const part of linkHeader.split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel\s*=\s*"?next"?/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

/** Every page of a cursor-paged list, following `Link: rel="next"` exactly as Okta gives it (on the org's origin). */
export async function* pagesOf<T>(
  client: RawOktaClient,
  firstPath: string,
  context: string,
): AsyncGenerator<T[]> {
  let url: string | undefined = firstPath;
  while (url) {
    const response = await oktaRaw(client, url, context);
    const page = parseJson<unknown>(response.text || '[]', context);
    // A list endpoint answers a JSON array; anything else is no page of Okta's.
    if (!Array.isArray(page)) throw notOktasAnswer(context, response.status, 'a page that is not a list');
    yield page as T[];
    url = nextLink(response.headers.get('link'));
  }
}
