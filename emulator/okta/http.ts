import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { malformedBody } from './errors';

/** A parsed request as route handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** `http://host:port` as the client addressed us, for absolute links. */
  baseUrl: string;
  rawBody: string;
  /** The JSON body; throws E0000003 when it isn't JSON. */
  json(): unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string | string[]>;
}

export const ok = (body: unknown, headers?: Record<string, string | string[]>): Reply => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});
export const noContent = (): Reply => ({ status: 204 });

export function readBody(req: IncomingMessage, maxBytes = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function jsonBody(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw malformedBody();
  }
}

export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformedBody();
  return value as Record<string, unknown>;
}

/**
 * One page of `items` (sorted by id) after the `after` cursor, with Okta's Link header: `rel="self"` for this
 * request and `rel="next"` while more remain. The cursor is the id of the page's last item, which Okta clients must
 * treat as opaque.
 */
export function paginate<T extends { id: string }>(
  req: ApiRequest,
  items: T[],
  /**
   * `single`: one page only, never a `next` link (Okta's unpaged queries); `compare` then orders that page instead
   * of the id order the cursor needs.
   */
  opts: {
    defaultLimit: number;
    maxLimit: number;
    single?: boolean;
    compare?: (a: T, b: T) => number;
  },
): { page: T[]; headers: Record<string, string[]> } {
  const rawLimit = req.query.get('limit');
  let limit = rawLimit === null ? opts.defaultLimit : Number.parseInt(rawLimit, 10);
  if (!Number.isFinite(limit) || limit <= 0) limit = opts.defaultLimit;
  limit = Math.min(limit, opts.maxLimit);
  const after = req.query.get('after');
  const byId = (a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sorted = [...items].sort(
    opts.single && opts.compare ? (a, b) => opts.compare!(a, b) || byId(a, b) : byId,
  );
  const start = after ? sorted.findIndex((i) => i.id > after) : 0;
  const page = start < 0 ? [] : sorted.slice(start, start + limit);
  const selfUrl = new URL(req.path, req.baseUrl);
  for (const [k, v] of req.query) selfUrl.searchParams.append(k, v);
  const links = [`<${selfUrl.toString()}>; rel="self"`];
  const last = page.at(-1);
  if (!opts.single && start >= 0 && start + limit < sorted.length && last) {
    const next = new URL(selfUrl);
    next.searchParams.set('after', last.id);
    next.searchParams.set('limit', String(limit));
    links.push(`<${next.toString()}>; rel="next"`);
  }
  return { page, headers: { link: links } };
}

/** Starts an emulator's HTTP server (5 s keep-alive) and resolves with the bound port (0 = any free one). */
export async function listenOn(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Stops a server and drops its open (kept-alive) connections so `stop()` does not wait on idle clients. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
