import {
  DEFAULT_FRONTLINE_ACCOUNT_SID,
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../../emulator/frontline';

const AUTH = `Basic ${Buffer.from(`${DEFAULT_FRONTLINE_ACCOUNT_SID}:${DEFAULT_FRONTLINE_AUTH_TOKEN}`).toString('base64')}`;

describe('Frontline emulator: faults and control API', () => {
  let emulator: RunningFrontlineEmulator;
  beforeAll(async () => {
    emulator = await startFrontlineEmulator({
      users: [{ identity: 'seeded@example.com', friendlyName: 'Seed' }],
    });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.control.reset());

  const api = (method: string, identity: string, form?: Record<string, string>) =>
    fetch(`${emulator.url}/v1/Users/${encodeURIComponent(identity)}`, {
      method,
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}/__emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('starts with the seeded users and returns to them on reset', async () => {
    emulator.control.signIn('new@example.com');
    expect(emulator.control.users().map((u) => u.identity)).toEqual([
      'new@example.com',
      'seeded@example.com',
    ]);
    expect((await control('POST', '/reset')).status).toBe(204);
    expect(emulator.control.users()).toEqual([
      expect.objectContaining({ identity: 'seeded@example.com', friendlyName: 'Seed', activeSessions: 1 }),
    ]);
  });

  it('answers 20429 for the next matching requests, then recovers', async () => {
    emulator.control.injectFault({ status: 429, count: 2, method: 'GET' });
    const first = await api('GET', 'seeded@example.com');
    expect(first.status).toBe(429);
    expect(await first.json()).toEqual({
      code: 20429,
      message: 'Too Many Requests',
      more_info: 'https://www.twilio.com/docs/errors/20429',
      status: 429,
    });
    // A POST does not match a GET-only fault and goes through.
    expect((await api('POST', 'seeded@example.com', { FriendlyName: 'X' })).status).toBe(200);
    expect((await api('GET', 'seeded@example.com')).status).toBe(429);
    expect(emulator.control.pendingFaults()).toEqual([]);
    expect((await api('GET', 'seeded@example.com')).status).toBe(200);
    expect(emulator.control.requestLog().map((e) => [e.method, e.status, e.fault])).toEqual([
      ['GET', 429, 429],
      ['POST', 200, undefined],
      ['GET', 429, 429],
      ['GET', 200, undefined],
    ]);
  });

  it('injects 5xx with the codes Twilio uses, and a failed POST changes nothing', async () => {
    emulator.control.injectFault({ status: 503, sid: 'seeded@example.com' });
    emulator.control.injectFault({ status: 500 });
    const unavailable = await api('POST', 'seeded@example.com', { State: 'deactivated' });
    expect(unavailable.status).toBe(503);
    expect(await unavailable.json()).toMatchObject({ code: 20503, status: 503 });
    expect(emulator.control.getUser('seeded@example.com')?.state).toBe('active');
    const internal = await api('GET', 'someone@example.com');
    expect(await internal.json()).toMatchObject({ code: 20500, status: 500 });
  });

  it('does not spend a fault on a request that fails authentication', async () => {
    emulator.control.injectFault({ status: 429 });
    const res = await fetch(`${emulator.url}/v1/Users/seeded@example.com`);
    expect(res.status).toBe(401);
    expect(emulator.control.pendingFaults()).toHaveLength(1);
  });

  it('seeds sign-ins, faults and reads them back over HTTP', async () => {
    const created = await control('POST', '/sign-ins', { identity: 'bo@example.com', friendlyName: 'Bo' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      identity: 'bo@example.com',
      state: 'active',
      activeSessions: 1,
    });
    expect((await control('POST', '/sign-ins', { identity: 'bo@example.com' })).status).toBe(200);
    expect(emulator.control.getUser('bo@example.com')?.activeSessions).toBe(2);

    expect((await control('POST', '/faults', { status: 502, count: 3 })).status).toBe(200);
    expect(await (await control('GET', '/faults')).json()).toEqual([{ status: 502, count: 3 }]);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect(emulator.control.pendingFaults()).toEqual([]);

    await api('POST', 'bo@example.com', { State: 'deactivated' });
    const log = (await (await control('GET', '/requests')).json()) as { params: unknown; auth: string }[];
    expect(log.at(-1)).toMatchObject({ params: { State: 'deactivated' }, auth: 'account' });
    expect(JSON.stringify(log)).not.toContain(DEFAULT_FRONTLINE_AUTH_TOKEN);
    expect((await control('GET', '/users')).status).toBe(200);
  });

  it('answers 400 to bad control input', async () => {
    expect((await control('POST', '/sign-ins', {})).status).toBe(400);
    expect((await control('POST', '/faults', { status: 404 })).status).toBe(400);
    expect((await control('POST', '/faults', { status: 429, count: 0 })).status).toBe(400);
    expect(() => emulator.control.injectFault({ status: 418 as never })).toThrow(/fault status/);
  });
});
