import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readBody, closeServer, listenOn } from '../okta/http';
import {
  TwilioHttpError,
  authenticationFailed,
  invalidParameter,
  methodNotAllowed,
  notFound,
  serverError,
  tooManyRequests,
} from './errors';
import type { SsoSignInResult } from './sso';
import type { FaultRule, FrontlineCredentials, FrontlineRequestLogEntry } from './types';
import { FrontlineUsers, userJson, type FrontlineUserRecord } from './users';

export interface FrontlineServerDeps {
  users: FrontlineUsers;
  credentials: () => FrontlineCredentials;
  /** Takes the next fault that applies to this request, if any (consumed). */
  takeFault: (method: string, sidOrIdentity: string) => FaultRule | undefined;
  /** `/__emulator/*` requests; answers undefined for an unknown path. */
  control: (req: { method: string; path: string; body: string }) => Promise<ControlReply | undefined>;
  /** The assertion consumer: the realm and the form's SAMLResponse and RelayState. */
  consume: (
    realmSid: string,
    samlResponse: string | undefined,
    relayState: string | null,
  ) => Promise<SsoSignInResult>;
  requestLogSize: number;
}

export interface ControlReply {
  status: number;
  body?: unknown;
}

const USER_PATH = /^\/v1\/Users\/([^/]+)\/?$/;
/** Twilio IAM's assertion consumer for a Frontline realm (the guides' "Single sign on URL"). */
const ACS_PATH = /^\/v2\/saml2\/authenticate\/([^/]+)\/?$/;

const isLoopback = (addr: string | undefined) =>
  addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';

/**
 * The HTTP front of the Frontline emulator: request log; the control API; Twilio IAM's assertion consumer (no Basic
 * auth: the IdP's auto-post form reaches it from the browser; no injected faults); then Basic auth, faults and
 * `/v1/Users/{Sid}`.
 */
export class FrontlineServer {
  public readonly log: FrontlineRequestLogEntry[] = [];
  private server?: Server;

  public constructor(private readonly deps: FrontlineServerDeps) {}

  public async listen(port: number, host: string): Promise<number> {
    const started = await listenOn((req, res) => void this.handle(req, res), port, host);
    this.server = started.server;
    return started.port;
  }

  public async close(): Promise<void> {
    await closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const host = req.headers.host ?? '127.0.0.1';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const path = url.pathname;
    const entry: FrontlineRequestLogEntry = {
      method,
      path,
      status: 0,
      auth: 'none',
      params: {},
      time: new Date().toISOString(),
    };
    let status: number;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      const raw = await readBody(req);
      if (path.startsWith('/__emulator/')) {
        if (!isLoopback(req.socket.remoteAddress)) throw new TwilioHttpError(403, 20403, 'Loopback only');
        const reply = await this.deps.control({ method, path, body: raw });
        if (!reply) throw notFound(path);
        this.send(res, reply.status, reply.body, {});
        return;
      }
      const acs = ACS_PATH.exec(path);
      if (acs) {
        if (method !== 'POST') throw methodNotAllowed(method);
        // The SAMLResponse is a bearer credential: it is never logged.
        const form = new URLSearchParams(raw);
        const result = await this.deps.consume(
          decodeURIComponent(acs[1]!),
          form.get('SAMLResponse') ?? undefined,
          form.get('RelayState'),
        );
        this.finish(res, entry, result.status, result.body, {});
        return;
      }
      const m = USER_PATH.exec(path);
      if (!m) throw notFound(path);
      const sidOrIdentity = decodeURIComponent(m[1]!);
      entry.sid = sidOrIdentity;
      if (method !== 'GET' && method !== 'POST') throw methodNotAllowed(method);
      entry.auth = this.authenticate(req.headers.authorization);
      if (entry.auth === 'rejected') throw authenticationFailed();
      const fault = this.deps.takeFault(method, sidOrIdentity);
      if (fault) {
        entry.fault = fault.status;
        throw fault.status === 429 ? tooManyRequests() : serverError(fault.status);
      }
      const user = this.deps.users.find(sidOrIdentity);
      // The real API answers 20404 both for an unknown sid and for an identity that never signed in.
      if (!user) throw notFound(path);
      if (method === 'POST') {
        const form = new URLSearchParams(raw);
        for (const [k, v] of form) entry.params[k] = v;
        applyUpdate(user, form);
      }
      status = 200;
      body = userJson(`http://${host}`, user);
    } catch (err) {
      const e =
        err instanceof TwilioHttpError ? err : new TwilioHttpError(500, 20500, 'Internal Server Error');
      status = e.status;
      body = e.body();
      headers = e.headers;
    }
    this.finish(res, entry, status, body, headers);
  }

  private finish(
    res: ServerResponse,
    entry: FrontlineRequestLogEntry,
    status: number,
    body: unknown,
    headers: Record<string, string>,
  ): void {
    entry.status = status;
    this.send(res, status, body, headers);
    this.log.push(entry);
    if (this.log.length > this.deps.requestLogSize)
      this.log.splice(0, this.log.length - this.deps.requestLogSize);
  }

  /**
   * HTTP Basic with the account SID and auth token, or an API key SID (SK…) and its secret
   * (https://www.twilio.com/docs/usage/requests-to-twilio#authenticate-with-http). The header value is never
   * logged or kept.
   */
  private authenticate(header: string | undefined): FrontlineRequestLogEntry['auth'] {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!m) return 'rejected';
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'rejected';
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const creds = this.deps.credentials();
    if (creds.authToken !== undefined && user === creds.accountSid && safeEqual(password, creds.authToken)) {
      return 'account';
    }
    const key = creds.apiKeys.find((k) => k.sid === user);
    if (key && safeEqual(password, key.secret)) return 'api-key';
    return 'rejected';
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    res.writeHead(status, {
      date: new Date().toUTCString(),
      ...(payload !== undefined
        ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
        : {}),
      ...headers,
    });
    res.end(payload);
  }
}

/**
 * The form fields of "Update a User" (twilio-oai `UpdateUserRequest`): `FriendlyName`, `Avatar`, `State`,
 * `IsAvailable`; others are ignored, as Twilio ignores parameters it does not know. Validates all before changing
 * anything, so a bad request changes nothing.
 */
function applyUpdate(user: FrontlineUserRecord, form: URLSearchParams): void {
  const state = form.get('State');
  if (state !== null && state !== 'active' && state !== 'deactivated') {
    throw invalidParameter(`Invalid State: ${state}. Allowed: active, deactivated`);
  }
  const available = form.get('IsAvailable');
  if (available !== null && !/^(true|false)$/i.test(available)) {
    throw invalidParameter(`Invalid IsAvailable: ${available}. Allowed: true, false`);
  }
  if (state !== null) {
    // Deactivation ends every session and takes the user out of routing (the User Resource page).
    if (state === 'deactivated') user.activeSessions = 0;
    user.state = state;
  }
  const friendlyName = form.get('FriendlyName');
  if (friendlyName !== null) user.friendlyName = friendlyName;
  const avatar = form.get('Avatar');
  if (avatar !== null) user.avatar = avatar;
  if (available !== null) user.isAvailable = available.toLowerCase() === 'true';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
