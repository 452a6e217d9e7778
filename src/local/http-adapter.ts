import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../config/env';

export type HttpApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** What a preflight sees: the request line and headers, before a single body byte is read. */
export interface RequestHead {
  method: string;
  path: string;
  /** Lower-cased names, as API Gateway passes them. */
  headers: Record<string, string>;
}

/** An answer given on the headers alone; the connection is closed after it, its body never read. */
export interface EarlyAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface AdapterLogger {
  error(message: string, extra: Record<string, unknown>): void;
}

export interface HttpAdapterOptions {
  handler: HttpApiHandler;
  /**
   * Extra local routes answered without the Lambda handler, e.g. `/healthz`: GET only (other methods 405), and never
   * a body read.
   */
  localRoutes?: Record<string, (head: RequestHead) => { status: number; body: unknown }>;
  /**
   * Runs on the headers before the body is read; an answer ends the request there (the connection is closed, the
   * body never read). The receiver's authentication goes here, so an unauthenticated upload costs nothing.
   */
  preflight?: (head: RequestHead) => Promise<EarlyAnswer | undefined>;
  /** Bodies over this many bytes answer 413 as soon as the limit is passed (or the Content-Length says so). */
  maxBodyBytes: number;
  /** @default DEFAULT_HTTP_LIMITS */
  limits?: HttpLimits;
  /** Every 5xx is logged here with its request id (also sent as `x-request-id`). */
  logger?: AdapterLogger;
}

/**
 * Turns node:http requests into API Gateway HTTP API (payload v2) events, so the same receiver handler runs
 * locally and on Lambda. Headers are lower-cased as API Gateway does; bodies are passed as UTF-8 text or, when
 * not valid UTF-8, base64 with `isBase64Encoded`.
 */
export function createHttpAdapter(options: HttpAdapterOptions): Server {
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const server = createServer({ connectionsCheckingInterval: checkingIntervalMs(limits) }, (req, res) => {
    const requestId = `local-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      if (res.statusCode >= 500) {
        options.logger?.error('http request failed', {
          requestId,
          method: req.method,
          status: res.statusCode,
        });
      }
    });
    void handle(req, res, requestId).catch((error: unknown) => {
      options.logger?.error('http request threw', {
        requestId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      send(res, 500, { message: 'Internal Server Error', requestId });
    });
  });
  // Node wants headersTimeout ≤ requestTimeout. Both are enforced by a sweep every connectionsCheckingInterval
  // (30 s by default, which let slow-header clients hold every connection ~3× the documented 10 s): see below.
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.timeout = limits.requestTimeoutMs;
  return server;

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const target = parseTarget(req.url);
    if (!target) {
      sendAndClose(req, res, 400, { message: 'malformed request target' });
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = headersOf(req);
    const head = { method, path: target.pathname, headers };
    const local = options.localRoutes?.[target.pathname];
    if (local) {
      const { status, body } =
        method === 'GET' ? local(head) : { status: 405, body: { message: 'Method Not Allowed' } };
      if (method !== 'GET') res.setHeader('allow', 'GET');
      // A body nobody asked for is not read (Node would drain it to keep the connection): close instead.
      if (announcesBody(headers) || method !== 'GET') sendAndClose(req, res, status, body);
      else send(res, status, body);
      return;
    }
    const early = await options.preflight?.(head);
    if (early) {
      for (const [name, value] of Object.entries(early.headers ?? {})) res.setHeader(name, value);
      sendAndClose(req, res, early.status, early.body);
      return;
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
      sendAndClose(req, res, 413, { message: `body exceeds ${options.maxBodyBytes} bytes` });
      return;
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body === 'too-large') {
      sendAndClose(req, res, 413, { message: `body exceeds ${options.maxBodyBytes} bytes` });
      return;
    }
    if (body === 'aborted') return;
    const result = await options.handler(toEvent(req, target, headers, body, requestId));
    for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, String(v));
    res.writeHead(result.statusCode ?? 200);
    res.end(
      result.body === undefined
        ? undefined
        : result.isBase64Encoded
          ? Buffer.from(result.body, 'base64')
          : result.body,
    );
  }
}

/**
 * How often Node sweeps connections for the header and request timeouts: a tenth of the shorter one, between 50 ms
 * and 1 s, so a slow-header client is dropped within ~10% of the configured timeout. The sweep walks the open
 * connections (at most `maxConnections`), which is cheap at this rate.
 */
function checkingIntervalMs(limits: HttpLimits): number {
  const shorter = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return Math.min(1_000, Math.max(50, Math.round(shorter / 10)));
}

function announcesBody(headers: Record<string, string>): boolean {
  const length = Number(headers['content-length'] ?? 0);
  return headers['transfer-encoding'] !== undefined || !Number.isFinite(length) || length > 0;
}

// RFC 9112 origin-form: "/" path segments of pchars, then an optional query. Single character classes, so matching
// is linear however long the target is.
const ORIGIN_FORM = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/** The request target as a URL, or undefined when it is not a valid origin-form target (`//[`, `*`…): a 400. */
function parseTarget(raw: string | undefined): URL | undefined {
  if (raw === undefined || !ORIGIN_FORM.test(raw) || BAD_PERCENT.test(raw)) return undefined;
  try {
    // Parsing against a fixed origin: `//host/…` must stay a path here, not become another authority.
    const url = new URL(`http://localhost${raw}`);
    return url.host === 'localhost' ? url : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers without reading the rest of the body and closes the connection, so its bytes are never buffered. */
function sendAndClose(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => req.socket.destroy());
  send(res, status, body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  requestId: string,
): APIGatewayProxyEventV2 {
  const text = body.toString('utf8');
  const isUtf8 = Buffer.from(text, 'utf8').equals(body);
  const method = (req.method ?? 'GET').toUpperCase();
  const now = new Date();
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of url.searchParams) queryStringParameters[k] = v;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isUtf8 ? text : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isUtf8,
  };
}
