import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface HttpAdapterOptions {
  handler: HttpApiHandler;
  /** Extra local routes answered without the Lambda handler, e.g. `/healthz`. */
  localRoutes?: Record<string, (req: IncomingMessage) => { status: number; body: unknown }>;
  /**
   * The adapter stops reading a body past this many bytes (API Gateway's own cap is 10 MB) and hands the handler
   * what it needs to answer 413. @default 10485760
   */
  maxReadBytes?: number;
}

/**
 * Turns node:http requests into API Gateway HTTP API (payload v2) events, so the same receiver handler runs
 * locally and on Lambda. Headers are lower-cased as API Gateway does; bodies are passed as UTF-8 text or, when
 * not valid UTF-8, base64 with `isBase64Encoded`.
 */
export function createHttpAdapter(options: HttpAdapterOptions): Server {
  const maxReadBytes = options.maxReadBytes ?? 10 * 1024 * 1024;
  return createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
      void error;
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const local = options.localRoutes?.[url.pathname];
    if (local && req.method === 'GET') {
      const { status, body } = local(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    const body = await readBody(req, maxReadBytes);
    if (body === 'too-large') {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ message: 'Request Entity Too Large' }));
      return;
    }
    const event = toEvent(req, url, body);
    const result = await options.handler(event);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(
      result.body === undefined
        ? undefined
        : result.isBase64Encoded
          ? Buffer.from(result.body, 'base64')
          : result.body,
    );
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toEvent(req: IncomingMessage, url: URL, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
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
    rawQueryString: url.search.replace(/^\?/, ''),
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
      requestId: `local-${now.getTime()}-${Math.random().toString(16).slice(2, 10)}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isUtf8 ? text : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isUtf8,
  };
}
