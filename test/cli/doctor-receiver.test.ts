import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkReceiver, receiverUrlProblem } from '../../src/ops/receiver-check';

const SECRET = 'doctor-receiver-secret-0123456789';
const HEADER = 'x-frontline-hook-secret';

interface Recorded {
  origin: string;
  requests: IncomingHttpHeaders[];
  close: () => Promise<void>;
}

/** A loopback server that records each request's headers and answers with `answer`. */
async function server(answer: (res: ServerResponse, req: IncomingMessage) => void): Promise<Recorded> {
  const requests: IncomingHttpHeaders[] = [];
  const s: Server = createServer((req, res) => {
    requests.push(req.headers);
    answer(res, req);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => s.close(() => resolve())),
  };
}

const open: Recorded[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  jest.restoreAllMocks();
});
async function started(answer: Parameters<typeof server>[0]): Promise<Recorded> {
  const s = await server(answer);
  open.push(s);
  return s;
}

describe('Function: checkReceiver', () => {
  it('reports a redirect to another origin as a failure naming that origin, and never sends the secret there', async () => {
    const elsewhere = await started((res) => res.writeHead(200).end('{}'));
    const redirecting = await started((res) =>
      res.writeHead(307, { location: `${elsewhere.origin}/collect?x=1` }).end(),
    );

    const check = await checkReceiver(`${redirecting.origin}/okta/event-hook`, {
      secret: SECRET,
      header: HEADER,
    });

    expect(check).toEqual({
      name: 'receiver',
      ok: false,
      message: expect.stringContaining(`a redirect to ${elsewhere.origin}; not followed`),
    });
    expect(check.message).not.toContain('collect');
    expect(check.message).not.toContain(SECRET);
    expect(redirecting.requests).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);
  });

  it('does not follow a redirect within the same origin either', async () => {
    const redirecting = await started((res) => res.writeHead(301, { location: '/okta/event-hook/' }).end());

    const check = await checkReceiver(`${redirecting.origin}/okta/event-hook`, {
      secret: SECRET,
      header: HEADER,
    });

    expect(check.ok).toBe(false);
    expect(check.message).toContain(`301, a redirect to ${redirecting.origin}`);
    expect(redirecting.requests).toHaveLength(1);
  });

  it('passes when the receiver echoes the challenge with the secret in the configured header', async () => {
    const receiver = await started((res, req) => {
      const challenge = req.headers['x-okta-verification-challenge'];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.headers[HEADER] === SECRET ? { verification: challenge } : {}));
    });

    const check = await checkReceiver(`${receiver.origin}/okta/event-hook`, {
      secret: SECRET,
      header: HEADER,
    });

    expect(check).toEqual({ name: 'receiver', ok: true, message: expect.stringContaining('answers Okta') });
  });

  it('refuses plain http to a host that is not this machine without sending anything', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');

    const check = await checkReceiver('http://receiver.example.com/okta/event-hook', {
      secret: SECRET,
      header: 'Authorization',
    });

    expect(check).toEqual({
      name: 'receiver',
      ok: false,
      message: expect.stringContaining('--receiver-url must be https'),
    });
    expect(check.message).not.toContain(SECRET);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('Function: receiverUrlProblem', () => {
  it.each([
    'https://receiver.example.com/okta/event-hook',
    'http://localhost:8080/okta/event-hook',
    'http://127.0.0.1:8080/okta/event-hook',
    'http://127.45.6.7/okta/event-hook',
    'http://[::1]:8080/okta/event-hook',
  ])('accepts %s', (url) => {
    expect(receiverUrlProblem(url)).toBeUndefined();
  });

  it.each([
    'http://receiver.example.com/okta/event-hook',
    'http://localhost.example.com/okta/event-hook',
    'http://128.0.0.1/okta/event-hook',
    'http://10.0.0.5/okta/event-hook',
    'ftp://127.0.0.1/okta/event-hook',
    'not a url',
  ])('refuses %s', (url) => {
    expect(receiverUrlProblem(url)).toEqual(expect.stringContaining('--receiver-url'));
  });
});
