import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { HttpLimits } from '../../src/config/env';
import type { Health } from '../../src/local/health';
import { createHttpAdapter } from '../../src/local/http-adapter';
import { healthRoute, hookPreflight } from '../../src/local/routes';

/*
 * What reaches serve before authentication: slow-header clients (issue 20: 256 of them held every connection for
 * ~32 s, the 10 s header timeout enforced only on Node's 30 s sweep) and bodies on paths nobody serves (read up
 * to 1 MiB each before the 404). Loopback only; every socket is bounded in count and time.
 */
const SECRET = 'the-hook-secret-for-the-gate-test';
const HOOK = '/okta/event-hook';

interface Slow {
  socket: Socket;
  /** Resolves with ms from connect to close, and what the server sent. */
  closed: Promise<{ afterMs: number; reply: string }>;
}

/** A client that sends its request line and headers one byte every `everyMs`, never finishing them. */
function slowHeaders(port: number, everyMs: number): Slow {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  const text = `POST ${HOOK} HTTP/1.1\r\nHost: x\r\nAuthorization: ${'x'.repeat(200)}`;
  let sent = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed && sent < text.length) socket.write(text[sent++]!);
  }, everyMs);
  let reply = '';
  socket.on('data', (d: Buffer) => (reply += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<{ afterMs: number; reply: string }>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, reply });
    }),
  );
  return { socket, closed };
}

function rawRequest(port: number, text: string): { socket: Socket; reply: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.write(text);
  const reply = new Promise<string>((resolve) => {
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  });
  return { socket, reply };
}

describe('Function: createHttpAdapter (serve’s gate)', () => {
  let server: Server;
  let port: number;
  let bodiesRead: number;
  let health: Health;

  async function start(limits: HttpLimits): Promise<void> {
    bodiesRead = 0;
    const auth = { headerName: 'Authorization', secrets: { current: SECRET, previous: undefined } };
    server = createHttpAdapter({
      handler: async () => {
        bodiesRead += 1;
        return { statusCode: 200, body: '' };
      },
      maxBodyBytes: 1024 * 1024,
      limits,
      preflight: hookPreflight(auth),
      localRoutes: { '/healthz': healthRoute(() => health, auth) },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  }
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const deliver = async (): Promise<{ status: number; ms: number }> => {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}${HOOK}`, {
      method: 'POST',
      headers: { Authorization: SECRET, 'content-type': 'application/json' },
      body: '{}',
    });
    await res.arrayBuffer();
    return { status: res.status, ms: Date.now() - started };
  };

  describe('header timeout', () => {
    const limits = {
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
      keepAliveTimeoutMs: 500,
      maxConnections: 12,
    };

    it('closes slow-header clients at the configured header timeout while a delivery answers promptly', async () => {
      await start(limits);
      const slow = Array.from({ length: 8 }, () => slowHeaders(port, 200));
      await new Promise((r) => setTimeout(r, 300));

      const delivery = await deliver();

      expect(delivery.status).toBe(200);
      expect(delivery.ms).toBeLessThan(500);
      const closed = await Promise.all(slow.map((s) => s.closed));
      for (const { afterMs, reply } of closed) {
        // Node's own 30 s sweep made this 1–30 s; the sweep now runs every tenth of the timeout.
        expect(afterMs).toBeGreaterThanOrEqual(900);
        expect(afterMs).toBeLessThan(2_000);
        expect(reply).toMatch(/^HTTP\/1.1 408/);
      }
    });

    it('lets a delivery in within the header timeout when slow clients hold every connection', async () => {
      await start(limits);
      const slow = Array.from({ length: limits.maxConnections }, () => slowHeaders(port, 200));
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();

      let status = 0;
      while (status !== 200 && Date.now() - started < 5_000) {
        status = await deliver().then(
          (d) => d.status,
          () => 0,
        );
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }

      expect(status).toBe(200);
      expect(Date.now() - started).toBeLessThan(limits.headersTimeoutMs + 1_200);
      await Promise.all(slow.map((s) => s.closed));
    });
  });

  describe('before authentication', () => {
    const limits = {
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 500,
      maxConnections: 50,
    };

    it.each(['/', '/other', '/okta/event-hook-x', '/healthz/x'])(
      'answers 404 to an upload to %s before reading its body, and closes the connection',
      async (path) => {
        await start(limits);
        const { socket, reply } = rawRequest(
          port,
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n${'x'.repeat(1000)}`,
        );
        // The body is never finished: only an answer on the headers alone can come back.
        expect(await reply).toMatch(/^HTTP\/1.1 404/);
        expect(socket.destroyed).toBe(true);
        expect(bodiesRead).toBe(0);
      },
    );

    it('answers 405 with Allow to another method on the hook, and to a POST to /healthz, without reading', async () => {
      await start(limits);
      for (const [method, path, allow] of [
        ['PUT', HOOK, 'GET, POST'],
        ['POST', '/healthz', 'GET'],
      ] as const) {
        const { reply } = rawRequest(
          port,
          `${method} ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${SECRET}\r\nContent-Length: 1000000\r\n\r\nabc`,
        );
        const answer = await reply;
        expect(answer).toMatch(/^HTTP\/1.1 405/);
        expect(answer.toLowerCase()).toContain(`allow: ${allow.toLowerCase()}`);
      }
      expect(bodiesRead).toBe(0);
    });

    it('answers 401 to the hook without the secret before reading the body', async () => {
      await start(limits);
      const { reply } = rawRequest(
        port,
        `POST ${HOOK} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc`,
      );
      expect(await reply).toMatch(/^HTTP\/1.1 401/);
      expect(bodiesRead).toBe(0);
    });
  });

  describe('/healthz', () => {
    const limits = {
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 500,
      maxConnections: 50,
    };
    const healthz = async (headers: Record<string, string> = {}) =>
      (await fetch(`http://127.0.0.1:${port}/healthz`, { headers })).json() as Promise<unknown>;

    it('shows only the status to a caller without the hook secret, and the reasons and counts with it', async () => {
      await start(limits);
      health = {
        status: 'degraded',
        reasons: ['backstop reconcile runs fail: OktaPermanentError: Invalid token provided'],
        queue: { queued: 3, inFlight: 1, dead: 0 },
      };

      expect(await healthz()).toEqual({ status: 'degraded' });
      expect(await healthz({ Authorization: 'not-the-secret' })).toEqual({ status: 'degraded' });
      expect(await healthz({ Authorization: SECRET })).toEqual(health);
    });

    it('closes instead of reading a body sent to it', async () => {
      await start(limits);
      health = { status: 'ok', reasons: [], queue: { queued: 0, inFlight: 0, dead: 0 } };
      const { socket, reply } = rawRequest(
        port,
        'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc',
      );
      expect(await reply).toMatch(/^HTTP\/1.1 200[\s\S]*\{"status":"ok"\}/);
      expect(socket.destroyed).toBe(true);
    });
  });
});
