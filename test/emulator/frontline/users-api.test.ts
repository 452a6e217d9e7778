import {
  DEFAULT_FRONTLINE_ACCOUNT_SID,
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  userSidFor,
  type RunningFrontlineEmulator,
} from '../../../emulator/frontline';

const API_KEY = { sid: 'SK11111111111111111111111111111111', secret: 'emulator-api-key-secret' };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ACCOUNT_AUTH = basic(DEFAULT_FRONTLINE_ACCOUNT_SID, DEFAULT_FRONTLINE_AUTH_TOKEN);

describe('Frontline emulator: Users API', () => {
  let emulator: RunningFrontlineEmulator;
  beforeAll(async () => {
    emulator = await startFrontlineEmulator({ apiKeys: [API_KEY] });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.control.reset());

  const get = (sid: string, authorization = ACCOUNT_AUTH) =>
    fetch(`${emulator.url}/v1/Users/${encodeURIComponent(sid)}`, { headers: { authorization } });
  const post = (sid: string, form: Record<string, string>, authorization = ACCOUNT_AUTH) =>
    fetch(`${emulator.url}/v1/Users/${encodeURIComponent(sid)}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('answers 20404 for an identity that never signed in', async () => {
    const res = await get('ana@example.com');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 20404,
      message: 'The requested resource /v1/Users/ana%40example.com was not found',
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
  });

  it('serves a signed-in user by identity and by sid, with the spec fields', async () => {
    emulator.control.signIn('ana@example.com', { friendlyName: 'Ana Diaz' });
    const sid = userSidFor('ana@example.com');
    const expected = {
      sid,
      identity: 'ana@example.com',
      friendly_name: 'Ana Diaz',
      avatar: null,
      state: 'active',
      is_available: false,
      url: `${emulator.url}/v1/Users/${sid}`,
    };
    expect(sid).toMatch(/^US[0-9a-f]{32}$/);
    const byIdentity = await get('ana@example.com');
    expect(byIdentity.status).toBe(200);
    expect(byIdentity.headers.get('content-type')).toBe('application/json');
    expect(await byIdentity.json()).toEqual(expected);
    expect(await (await get(sid)).json()).toEqual(expected);
  });

  it('matches the identity case-sensitively', async () => {
    emulator.control.signIn('Ana@Example.com');
    expect((await get('ana@example.com')).status).toBe(404);
    expect((await get('Ana@Example.com')).status).toBe(200);
  });

  it('updates State, FriendlyName, Avatar and IsAvailable from a form body', async () => {
    emulator.control.signIn('ana@example.com');
    const res = await post('ana@example.com', {
      FriendlyName: 'Ana D.',
      Avatar: 'https://example.com/a.png',
      IsAvailable: 'true',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      friendly_name: 'Ana D.',
      avatar: 'https://example.com/a.png',
      is_available: true,
      state: 'active',
    });
  });

  it('ends every session on deactivation and keeps them ended when reactivated', async () => {
    emulator.control.signIn('ana@example.com');
    emulator.control.signIn('ana@example.com'); // the mobile app too
    expect(emulator.control.getUser('ana@example.com')?.activeSessions).toBe(2);
    const off = await post('ana@example.com', { State: 'deactivated' });
    expect(await off.json()).toMatchObject({ state: 'deactivated' });
    expect(emulator.control.getUser('ana@example.com')).toMatchObject({
      state: 'deactivated',
      activeSessions: 0,
    });
    // A deactivated user can't sign back in.
    emulator.control.signIn('ana@example.com');
    expect(emulator.control.getUser('ana@example.com')?.activeSessions).toBe(0);
    const on = await post('ana@example.com', { State: 'active' });
    expect(await on.json()).toMatchObject({ state: 'active' });
    expect(emulator.control.getUser('ana@example.com')?.activeSessions).toBe(0);
  });

  it('rejects an unknown State with a 400 and changes nothing', async () => {
    emulator.control.signIn('ana@example.com', { friendlyName: 'Ana' });
    const res = await post('ana@example.com', { State: 'suspended', FriendlyName: 'Changed' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 20001, status: 400 });
    expect(emulator.control.getUser('ana@example.com')).toMatchObject({
      state: 'active',
      friendlyName: 'Ana',
    });
  });

  it('answers 404 to a POST for a user who never signed in, creating no one', async () => {
    const res = await post('ghost@example.com', { State: 'deactivated' });
    expect(res.status).toBe(404);
    expect(emulator.control.users()).toEqual([]);
  });

  describe('authentication', () => {
    it('accepts an API key sid and its secret', async () => {
      emulator.control.signIn('ana@example.com');
      expect((await get('ana@example.com', basic(API_KEY.sid, API_KEY.secret))).status).toBe(200);
      expect(emulator.control.requestLog().at(-1)).toMatchObject({ auth: 'api-key', status: 200 });
    });

    it.each([
      ['a wrong auth token', basic(DEFAULT_FRONTLINE_ACCOUNT_SID, 'wrong')],
      ['a wrong API key secret', basic(API_KEY.sid, 'wrong')],
      ['an unknown user', basic('AC99999999999999999999999999999999', DEFAULT_FRONTLINE_AUTH_TOKEN)],
      ['no credentials', ''],
      ['a bearer token', 'Bearer abc'],
    ])('answers 20003 to %s, before saying whether the user exists', async (_what, authorization) => {
      emulator.control.signIn('ana@example.com');
      const res = await get('ana@example.com', authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
      expect(await res.json()).toEqual({
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
      expect((await get('ghost@example.com', authorization)).status).toBe(401);
    });

    it('accepts no auth token when started with API keys only', async () => {
      const keysOnly = await startFrontlineEmulator({ authToken: null, apiKeys: [API_KEY] });
      try {
        keysOnly.control.signIn('ana@example.com');
        const res = await fetch(`${keysOnly.url}/v1/Users/ana@example.com`, {
          headers: { authorization: ACCOUNT_AUTH },
        });
        expect(res.status).toBe(401);
      } finally {
        await keysOnly.stop();
      }
    });
  });

  it('answers 20404 for paths outside /v1/Users/{Sid} and 20004 for other methods', async () => {
    const list = await fetch(`${emulator.url}/v1/Users`, { headers: { authorization: ACCOUNT_AUTH } });
    expect(list.status).toBe(404);
    expect(await list.json()).toMatchObject({ code: 20404 });
    emulator.control.signIn('ana@example.com');
    const del = await fetch(`${emulator.url}/v1/Users/ana@example.com`, {
      method: 'DELETE',
      headers: { authorization: ACCOUNT_AUTH },
    });
    expect(del.status).toBe(405);
    expect(await del.json()).toMatchObject({ code: 20004 });
    expect(emulator.control.getUser('ana@example.com')).toBeDefined();
  });
});
