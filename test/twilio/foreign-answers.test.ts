import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_FRONTLINE_ACCOUNT_SID } from '../../emulator/frontline';
import type { TwilioCredentials } from '../../src/twilio/config';
import {
  FrontlinePermanentError,
  FrontlineTransientError,
  isFatalFrontlineError,
  isRetryableFrontlineError,
  notTwilioReason,
} from '../../src/twilio/errors';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import { createTwilioFrontlineUsers } from '../../src/twilio/twilio-users';
import type { FrontlineUsers } from '../../src/twilio/users';

/*
 * Issue 20 for Twilio: something in front of the Frontline API (a proxy, a gateway) answers in its place. A loopback
 * server stands for it; the Frontline emulator only ever answers as Twilio does.
 */

const ACCOUNT: TwilioCredentials = {
  kind: 'auth-token',
  accountSid: DEFAULT_FRONTLINE_ACCOUNT_SID,
  authToken: 'auth-token-0123456789abcdef',
};

type Factory = (o: { apiUrl: string; credentials: TwilioCredentials }) => FrontlineUsers;
const ADAPTERS: [string, Factory][] = [
  ['twilio library', createTwilioFrontlineUsers],
  ['fetch', createFetchFrontlineUsers],
];

interface Canned {
  status: number;
  contentType: string | null;
  body: string;
}

let server: Server;
let url = '';
let canned: Canned;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(canned.status, canned.contentType === null ? {} : { 'content-type': canned.contentType });
    res.end(canned.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const HTML = 'text/html; charset=utf-8';
const PAGE = '<html><body><h1>404</h1><p>secret-gateway-page</p></body></html>';
const TWILIO_404 = JSON.stringify({
  code: 20404,
  message: 'The requested resource /Users/ana@example.com was not found',
  more_info: 'https://www.twilio.com/docs/errors/20404',
  status: 404,
});

describe.each(ADAPTERS)(
  'Frontline Users adapter (%s) behind something that answers in Twilio’s place',
  (_n, create) => {
    const users = () => create({ apiUrl: url, credentials: ACCOUNT });

    it.each([
      ['an HTML 404', { status: 404, contentType: HTML, body: PAGE }],
      [
        'a JSON 404 without a Twilio code',
        { status: 404, contentType: 'application/json', body: '{"message":"secret-gateway-page"}' },
      ],
      ['an HTML 200', { status: 200, contentType: HTML, body: PAGE }],
      ['an HTML 401', { status: 401, contentType: HTML, body: PAGE }],
      ['an HTML 429', { status: 429, contentType: HTML, body: PAGE }],
    ])('retries on %s, never taking it for "never signed in", and shows no page', async (_what, answer) => {
      canned = answer;
      for (const call of [
        users().get('ana@example.com'),
        users().update('ana@example.com', { state: 'deactivated' }),
      ]) {
        const error = await rejection(call);
        expect(error).toBeInstanceOf(FrontlineTransientError);
        expect(isRetryableFrontlineError(error)).toBe(true);
        expect(isFatalFrontlineError(error)).toBe(false);
        expect(error.message).toMatch(/the answer is not the Frontline API's \(HTTP (\d{3}|2xx)/);
        expect(error.message).not.toContain('secret-gateway-page');
      }
    });

    it('still answers undefined for Twilio’s own 404 (20404): the user never signed in', async () => {
      canned = { status: 404, contentType: 'application/json; charset=utf-8', body: TWILIO_404 };
      await expect(users().get('ana@example.com')).resolves.toBeUndefined();
    });

    it('still fails loudly on Twilio’s own 401', async () => {
      canned = {
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ code: 20003, message: 'Authenticate', more_info: 'x', status: 401 }),
      };
      const error = await rejection(users().get('ana@example.com'));
      expect(error).toBeInstanceOf(FrontlinePermanentError);
      expect(error).toMatchObject({ kind: 'auth', code: 20003 });
    });
  },
);

describe('Function: createFetchFrontlineUsers and the answer’s content type', () => {
  it('retries on Twilio’s 404 body sent as text/html: only JSON is Twilio’s', async () => {
    canned = { status: 404, contentType: HTML, body: TWILIO_404 };
    const error = await rejection(
      createFetchFrontlineUsers({ apiUrl: url, credentials: ACCOUNT }).get('ana'),
    );
    expect(error).toBeInstanceOf(FrontlineTransientError);
    expect(error.message).toMatch(/HTTP 404 text\/html, not JSON/);
  });

  it('retries on a 404 without a content type', async () => {
    canned = { status: 404, contentType: null, body: TWILIO_404 };
    await expect(createFetchFrontlineUsers({ apiUrl: url, credentials: ACCOUNT }).get('ana')).rejects.toThrow(
      FrontlineTransientError,
    );
  });
});

describe('Function: notTwilioReason', () => {
  it.each([
    ['Twilio’s 404', { status: 404, contentType: 'application/json', body: { code: 20404 } }],
    ['an RFC 9457 problem', { status: 404, contentType: 'application/problem+json', body: { code: 20404 } }],
    ['a JSON 200', { status: 200, contentType: 'application/json; charset=utf-8', body: { sid: 'US1' } }],
    [
      'a library error with a code (no headers shown)',
      { status: 404, contentType: undefined, body: { code: 20404 } },
    ],
  ])('accepts %s as Twilio’s', (_what, answer) => {
    expect(notTwilioReason(answer)).toBeUndefined();
  });

  it.each([
    [
      'an HTML 404',
      { status: 404, contentType: 'text/html', body: undefined },
      'HTTP 404 text/html, not JSON',
    ],
    [
      'JSON that does not parse',
      { status: 200, contentType: 'application/json', body: undefined },
      'HTTP 200, a body that is not JSON',
    ],
    [
      'a JSON 404 without a code',
      { status: 404, contentType: 'application/json', body: { message: 'x' } },
      'HTTP 404 without a Twilio error code',
    ],
    [
      'a string code',
      { status: 404, contentType: 'application/json', body: { code: '20404' } },
      'HTTP 404 without a Twilio error code',
    ],
    [
      'a library error without a code',
      { status: 404, contentType: undefined, body: null },
      'HTTP 404 without a Twilio error code',
    ],
    [
      'no content type',
      { status: 404, contentType: null, body: { code: 20404 } },
      'HTTP 404 no content type, not JSON',
    ],
  ])('refuses %s', (_what, answer, reason) => {
    expect(notTwilioReason(answer)).toBe(reason);
  });
});
