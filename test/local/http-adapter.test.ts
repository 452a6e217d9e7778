import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpAdapter, type HttpApiHandler } from '../../src/local/http-adapter';
import { pathOf, trimTrailingSlashes } from '../../src/receiver/http';

/** Raw sockets: these tests are about what arrives on the wire, including requests fetch would refuse to send. */
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

describe('Function: createHttpAdapter', () => {
  let server: Server;
  let port: number;
  let handled: string[];
  const errors: Record<string, unknown>[] = [];
  let handler: HttpApiHandler;

  beforeEach(async () => {
    handled = [];
    errors.length = 0;
    handler = async (event) => {
      handled.push(event.body ?? '');
      return { statusCode: 200, body: '' };
    };
    server = createHttpAdapter({
      handler: (e) => handler(e),
      maxBodyBytes: 1_000,
      limits: { headersTimeoutMs: 500, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 500, maxConnections: 50 },
      logger: { error: (_m, extra) => errors.push(extra) },
      preflight: async ({ headers }) =>
        headers.authorization === 'good' ? undefined : { status: 401, body: { message: 'Unauthorized' } },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('answers 401 to an unauthenticated upload before reading its body, and closes the connection', async () => {
    const { socket, reply } = rawRequest(
      port,
      'POST /okta/event-hook HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc',
    );
    const answer = await reply;
    expect(answer).toMatch(/^HTTP\/1.1 401/);
    expect(socket.destroyed).toBe(true);
    expect(handled).toEqual([]);
  });

  it('answers 413 as soon as a streaming body passes the limit, without waiting for the rest', async () => {
    const { socket, reply } = rawRequest(
      port,
      'POST /okta/event-hook HTTP/1.1\r\nHost: x\r\nAuthorization: good\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    socket.write(`7d0\r\n${'x'.repeat(2000)}\r\n`);
    // The request is never finished: the 413 must come anyway.
    expect(await reply).toMatch(/^HTTP\/1.1 413/);
    expect(handled).toEqual([]);
  });

  it('answers 400 to a malformed request target', async () => {
    for (const target of ['//[', '*', 'http://[', '/okta/%zz', '/a\\b']) {
      const { reply } = rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(await reply).toMatch(/^HTTP\/1.1 400/);
    }
  });

  it('logs every 5xx with the request id it sends back', async () => {
    handler = async () => {
      throw new Error('boom');
    };
    const res = await fetch(`http://127.0.0.1:${port}/okta/event-hook`, {
      method: 'POST',
      headers: { authorization: 'good' },
      body: '{}',
    });
    expect(res.status).toBe(500);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^local-/);
    expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ requestId, status: 500 })]));
  });

  it('drops a connection that never finishes its headers', async () => {
    const started = Date.now();
    const { reply } = rawRequest(port, 'POST /okta/event-hook HTTP/1.1\r\nHost: x\r\n');
    await reply;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('Function: pathOf', () => {
  it('trims trailing slashes in linear time', () => {
    const path = `/okta/event-hook${'/'.repeat(200_000)}`;
    const started = performance.now();
    expect(trimTrailingSlashes(path)).toBe('/okta/event-hook');
    expect(performance.now() - started).toBeLessThan(50);
    expect(trimTrailingSlashes('///')).toBe('/');
    expect(pathOf({ rawPath: '/okta/event-hook/' } as never)).toBe('/okta/event-hook');
  });
});
