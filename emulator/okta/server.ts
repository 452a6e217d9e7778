import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import {
  OktaHttpError,
  concurrencyLimited,
  invalidToken,
  methodNotAllowed,
  noSuchEndpoint,
  rateLimited,
} from './errors';
import { checkDpopProof } from './dpop';
import { DpopProofReplayedError, proofSeenBefore } from './dpop-replay';
import { requestContext, type EventActor } from './events';
import { jsonBody, readBody, type ApiRequest, type Reply, closeServer, listenOn } from './http';
import { RateLimiter, bucketFor } from './rate-limits';
import { Router } from './router';
import type { FaultSettings, RequestLogEntry } from './types';

export interface ServerDeps {
  ctx: EmulatorContext;
  api: Router;
  control: Router;
  /** End-user pages (`/app/…`): a browser session, not an API credential, decides who is calling. */
  browser: Router;
  token: () => string;
  rateLimiter: RateLimiter;
  faults: () => FaultSettings;
  random: () => number;
  requestLogSize: number;
}

const isLoopback = (addr: string | undefined) =>
  addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';

/** The HTTP front: request log, rate limits, auth, faults, then the route. */
export class EmulatorServer {
  readonly log: RequestLogEntry[] = [];
  private inFlight = 0;
  private server?: Server;

  constructor(private readonly deps: ServerDeps) {}

  async listen(port: number, host: string): Promise<number> {
    const started = await listenOn((req, res) => void this.handle(req, res), port, host);
    this.server = started.server;
    return started.port;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const host = req.headers.host ?? '127.0.0.1';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = url.pathname;
    const isControl = path.startsWith('/__emulator/');
    const isBrowser = path.startsWith('/app/');
    const bucket = isControl ? 'control' : isBrowser ? 'browser' : bucketFor(method, path);
    const headers: Record<string, string | string[]> = {};
    let cause: RequestLogEntry['cause'];
    let reply: Reply;
    let counted = false;
    const credential = isControl || isBrowser ? undefined : this.credentialOf(req);
    try {
      const rawBody = await readBody(req);
      const apiReq: ApiRequest = {
        method,
        path,
        query: url.searchParams,
        params: {},
        headers: req.headers,
        baseUrl: `http://${host}`,
        rawBody,
        json: () => jsonBody(rawBody),
      };
      if (isControl) {
        if (!isLoopback(req.socket.remoteAddress)) throw new OktaHttpError(403, 'E0000006', 'Loopback only');
        reply = await this.route(this.deps.control, apiReq);
      } else if (isBrowser) {
        reply = await this.route(this.deps.browser, apiReq);
      } else {
        const replayed = proofSeenBefore(this.deps.ctx.usedDpopProofs, req.headers.dpop);
        const limits = this.deps.rateLimiter.settings;
        if (limits.enabled) {
          if (limits.maxConcurrent > 0 && this.inFlight >= limits.maxConcurrent) {
            cause = 'concurrency';
            // "The first two header values are always `0` for concurrent rate limit errors. The third header reports
            // an estimated time interval" (developer.okta.com/docs/reference/rl2-monitor).
            headers['x-rate-limit-limit'] = '0';
            headers['x-rate-limit-remaining'] = '0';
            headers['x-rate-limit-reset'] = String(Math.floor(Date.now() / 1000) + 1);
            throw concurrencyLimited();
          }
          const d = this.deps.rateLimiter.take(bucket, credential);
          headers['x-rate-limit-limit'] = String(d.limit);
          headers['x-rate-limit-remaining'] = String(d.remaining);
          headers['x-rate-limit-reset'] = String(d.resetSeconds);
          if (!d.allowed) {
            cause = 'rate-limit';
            throw rateLimited();
          }
        }
        this.inFlight += 1;
        counted = true;
        const actor = path.startsWith('/oauth2/')
          ? undefined
          : this.authenticate(req, path, method, replayed);
        if (!actor && !path.startsWith('/oauth2/')) {
          cause = 'auth';
          throw invalidToken();
        }
        await this.injectFaults(method, () => (cause = 'fault'), headers);
        const ctx = {
          requestId: randomBytes(12).toString('base64url'),
          actor: actor ?? this.deps.ctx.hooks.adminActor(),
          ipAddress: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: req.headers['user-agent'] ?? 'unknown',
          url: url.toString(),
        };
        headers['x-okta-request-id'] = ctx.requestId;
        reply = await requestContext.run(ctx, () => this.route(this.deps.api, apiReq));
      }
    } catch (err) {
      const e =
        err instanceof OktaHttpError
          ? err
          : new OktaHttpError(500, 'E0000009', 'Internal Server Error', [
              String((err as Error)?.message ?? err),
            ]);
      reply = { status: e.status, body: e.body(), headers: e.headers };
    } finally {
      if (counted) this.inFlight -= 1;
    }
    this.send(res, reply, headers);
    this.record({
      method,
      path,
      query: url.search.slice(1),
      bucket,
      ...(credential ? { credential } : {}),
      status: reply.status,
      time: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      ...(cause ? { cause } : {}),
    });
  }

  private async route(router: Router, req: ApiRequest): Promise<Reply> {
    const m = router.match(req.method, req.path);
    if (!m.route) throw m.pathKnown ? methodNotAllowed() : noSuchEndpoint();
    req.params = m.params;
    return m.route.handler(req, this.deps.ctx);
  }

  /** SSWS token or an access token from /oauth2/v1/token; returns the actor, or undefined when not authenticated. */
  private authenticate(
    req: IncomingMessage,
    path: string,
    method: string,
    replayed: boolean,
  ): EventActor | undefined {
    const header = req.headers.authorization ?? '';
    const [scheme, value] = [
      header.slice(0, header.indexOf(' ')),
      header.slice(header.indexOf(' ') + 1).trim(),
    ];
    if (scheme.toUpperCase() === 'SSWS') {
      if (!safeEqual(value, this.deps.token())) return undefined;
      return this.deps.ctx.hooks.adminActor();
    }
    if (scheme.toLowerCase() === 'bearer' || scheme.toLowerCase() === 'dpop') {
      const t = this.deps.ctx.accessTokens.get(value);
      if (!t || t.expiresAt < Date.now()) return undefined;
      // A DPoP-bound token is only good with the DPoP scheme and a proof from the same key.
      if (t.jkt !== undefined || scheme.toLowerCase() === 'dpop') {
        if (t.jkt === undefined || scheme.toLowerCase() !== 'dpop') return undefined;
        const proof = req.headers.dpop;
        const dpop = checkDpopProof({
          proof: Array.isArray(proof) ? proof[0] : proof,
          method,
          url: `http://${req.headers.host}${path}`,
          accessToken: value,
        });
        if (!dpop.ok || dpop.jkt !== t.jkt) return undefined;
        if (replayed) throw new DpopProofReplayedError(`http://${req.headers.host}`, path);
      }
      const needed = requiredScope(method, path);
      if (needed && !t.scopes.includes(needed) && !t.scopes.includes(needed.replace('.read', '.manage'))) {
        throw new OktaHttpError(
          403,
          'E0000006',
          'You do not have permission to perform the requested action',
          [],
          {
            'www-authenticate': `Bearer authorization_uri="http://${req.headers.host}/oauth2/v1/authorize", realm="IdP", scope="${needed}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${path}"`,
          },
        );
      }
      return { id: t.clientId, type: 'PublicClientApp', alternateId: t.clientId, displayName: t.clientId };
    }
    return undefined;
  }

  /** Who a request's bucket share is charged to: the service app for OAuth tokens, `SSWS` for the API token. */
  private credentialOf(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? '';
    const space = header.indexOf(' ');
    if (space < 0) return undefined;
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'ssws') return safeEqual(value, this.deps.token()) ? 'SSWS' : undefined;
    if (scheme === 'bearer' || scheme === 'dpop') return this.deps.ctx.accessTokens.get(value)?.clientId;
    return undefined;
  }

  private async injectFaults(
    method: string,
    mark: () => void,
    headers: Record<string, string | string[]>,
  ): Promise<void> {
    const f = this.deps.faults();
    const latency = f.latencyMs + (f.latencyJitterMs > 0 ? this.deps.random() * f.latencyJitterMs : 0);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if ((f.rateLimitErrorRate ?? 0) > 0 && this.deps.random() < f.rateLimitErrorRate!) {
      mark();
      headers['x-rate-limit-remaining'] = '0';
      headers['x-rate-limit-reset'] ??= String(Math.floor(Date.now() / 1000) + 1);
      throw rateLimited();
    }
    const rate = method === 'GET' ? f.readErrorRate : f.writeErrorRate;
    if (rate > 0 && this.deps.random() < rate) {
      mark();
      if (this.deps.random() < 0.5) throw new OktaHttpError(500, 'E0000009', 'Internal Server Error');
      throw new OktaHttpError(503, 'E0000010', 'Service is temporarily unavailable');
    }
  }

  private send(res: ServerResponse, reply: Reply, extra: Record<string, string | string[]>): void {
    const headers: Record<string, string | string[]> = {
      date: new Date().toUTCString(),
      'cache-control': 'no-cache, no-store',
      ...extra,
      ...reply.headers,
    };
    let payload: string | undefined;
    if (reply.text !== undefined) {
      payload = reply.text;
      headers['content-type'] = reply.contentType ?? 'text/plain;charset=utf-8';
    } else if (reply.body !== undefined && reply.status !== 204) {
      payload = JSON.stringify(reply.body);
      headers['content-type'] = 'application/json';
    }
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > this.deps.requestLogSize)
      this.log.splice(0, this.log.length - this.deps.requestLogSize);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The OAuth scope a request needs; `.manage` also grants `.read`. */
export function requiredScope(method: string, path: string): string | undefined {
  // The System Log needs okta.logs.read (System Log query reference, "Authentication and authorization").
  if (path === '/api/v1/logs') return 'okta.logs.read';
  if (path.startsWith('/api/v1/principal-rate-limits'))
    return `okta.principalRateLimits.${method === 'GET' ? 'read' : 'manage'}`;
  const m = /^\/api\/v1\/(users|groups|apps|eventHooks)\b/.exec(path);
  if (!m) return undefined;
  const resource = m[1]!;
  // Group membership changes need okta.groups.manage; reading a user's groups is a users read.
  return `okta.${resource}.${method === 'GET' ? 'read' : 'manage'}`;
}
