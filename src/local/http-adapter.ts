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

export interface AdapterLogger {
  error(message: string, extra: Record<string, unknown>): void;
}

export interface HttpAdapterOptions {
  handler: HttpApiHandler;
  /** Extra local routes answered without the Lambda handler, e.g. `/healthz`. */
  localRoutes?: Record<string, (req: IncomingMessage) => { status: number; body: unknown }>;
  /**
   * Runs on the headers before the body is read; an answer ends the request there (the connection is closed, the
   * body never read). The receiver's authentication goes here, so an unauthenticated upload costs nothing.
   */
  preflight?: (head: RequestHead) => Promise<{ status: number; body: unknown } | undefined>;
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
  const server = createServer((req, res) => {
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
  // Node wants headersTimeout ≤ requestTimeout.
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
    const local = options.localRoutes?.[target.pathname];
    if (local && method === 'GET') {
      const { status, body } = local(req);
      send(res, status, body);
      return;
    }
    const headers = headersOf(req);
    const early = await options.preflight?.({ method, path: target.pathname, headers });
    if (early) {
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
