import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

/** Header lookup ignoring case: API Gateway lowercases names, other front ends (and tests) may not. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function methodOf(event: APIGatewayProxyEventV2): string {
  return (event.requestContext?.http?.method ?? '').toUpperCase();
}

/** The request path without a named stage prefix (`/prod/okta/event-hook`) or a trailing slash. */
export function pathOf(event: APIGatewayProxyEventV2): string {
  const raw = event.rawPath ?? event.requestContext?.http?.path ?? '';
  const stage = event.requestContext?.stage;
  const path =
    stage && stage !== '$default' && raw.startsWith(`/${stage}/`) ? raw.slice(stage.length + 1) : raw;
  return trimTrailingSlashes(path);
}

/** Drops trailing slashes in one linear pass (a regex like `/\/+$/` backtracks quadratically on long runs). */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end -= 1;
  return path.slice(0, end);
}

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/** The body as text, decoding API Gateway's base64, refusing anything over `maxBytes` before decoding it. */
export function bodyText(event: APIGatewayProxyEventV2, maxBytes: number): BodyResult {
  const body = event.body ?? '';
  if (event.isBase64Encoded) {
    // Base64 is 4 chars per 3 bytes: anything longer than this can't decode to maxBytes or fewer.
    if (body.length > Math.ceil(maxBytes / 3) * 4 + 4) return { ok: false, tooLarge: true };
    const bytes = Buffer.from(body, 'base64');
    return bytes.length > maxBytes
      ? { ok: false, tooLarge: true }
      : { ok: true, text: bytes.toString('utf8') };
  }
  // UTF-8 needs at least one byte per UTF-16 unit, so a long string is over the limit without counting bytes.
  if (body.length > maxBytes || Buffer.byteLength(body, 'utf8') > maxBytes)
    return { ok: false, tooLarge: true };
  return { ok: true, text: body };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** Errors carry a short reason at most; nothing about the secret or internals. */
export function problem(
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): HttpResult {
  return json(statusCode, { message }, headers);
}

/** What Okta wants for a delivery: 200 and nothing else, as fast as possible. */
export function emptyOk(): HttpResult {
  return { statusCode: 200, body: '' };
}
