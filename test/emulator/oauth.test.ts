import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient, OKTA_SCOPES } from '../../src/okta/client';
import { failure } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

describe('Okta emulator: OAuth 2.0 service app (client credentials + private_key_jwt)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'svc-key-1', use: 'sig', alg: 'RS256' };
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startOktaEmulator({
      seed: {
        ...DEMO_SEED,
        serviceApps: [
          { clientId: '0oaserviceapp0000001', publicJwk, scopes: OKTA_SCOPES },
          { clientId: '0oareadonly000000001', publicJwk, scopes: ['okta.users.read'] },
          { clientId: '0oadpopapp0000000001', publicJwk, scopes: OKTA_SCOPES, requireDpop: true },
        ],
      },
    });
  });
  afterAll(() => emulator.stop());

  const clientFor = (clientId: string, scopes: string[], keyId = 'svc-key-1') =>
    createOktaClient({
      orgUrl: emulator.url,
      credentials: { kind: 'private-key', clientId, privateKey: privatePem, keyId, scopes },
    });

  it('issues a Bearer token for a signed assertion, which the API accepts', async () => {
    const client = clientFor('0oaserviceapp0000001', OKTA_SCOPES);
    const user = await client.userApi.getUser({ userId: DEMO.users.agent });
    expect(user.id).toBe(DEMO.users.agent);
    await client.applicationApi.assignUserToApplication({
      appId: DEMO.appId,
      appUser: { id: DEMO.users.newHire },
    });
    const log = emulator.control.requestLog();
    expect(log.map((r) => [r.method, r.path, r.status])).toEqual(
      expect.arrayContaining([
        ['POST', '/oauth2/v1/token', 200],
        ['GET', `/api/v1/users/${DEMO.users.agent}`, 200],
      ]),
    );
    // The assignment is attributed to the service app.
    const event = emulator.control.events().at(-1)!;
    expect((event.actor as { id: string }).id).toBe('0oaserviceapp0000001');
  });

  it('asks for a DPoP nonce, then issues a DPoP-bound token the SDK uses with proofs', async () => {
    emulator.control.clearRequestLog();
    const client = clientFor('0oadpopapp0000000001', OKTA_SCOPES);
    const user = await client.userApi.getUser({ userId: DEMO.users.agent });
    expect(user.id).toBe(DEMO.users.agent);
    await client.applicationApi.assignUserToApplication({
      appId: DEMO.appId,
      appUser: { id: DEMO.users.newHire },
    });
    expect(emulator.control.requestLog().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /oauth2/v1/token 400',
      'POST /oauth2/v1/token 200',
      `GET /api/v1/users/${DEMO.users.agent} 200`,
      `POST /api/v1/apps/${DEMO.appId}/users 200`,
    ]);
  });

  it('refuses a DPoP-bound token presented as a plain Bearer token', async () => {
    const client = clientFor('0oadpopapp0000000001', ['okta.users.read']);
    await client.userApi.getUser({ userId: DEMO.users.agent });
    // The SDK caches the token it got; present it without the DPoP proof.
    const accessToken = (client as unknown as { oauth: { accessToken: { access_token: string } } }).oauth
      .accessToken.access_token;
    const res = await fetch(`${emulator.url}/api/v1/users/${DEMO.users.agent}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(res.status).toBe(401);
  });

  it('rejects an assertion signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const client = createOktaClient({
      orgUrl: emulator.url,
      credentials: {
        kind: 'private-key',
        clientId: '0oaserviceapp0000001',
        privateKey: other.toString(),
        keyId: 'svc-key-1',
        scopes: OKTA_SCOPES,
      },
    });
    const err = await failure(client.userApi.getUser({ userId: DEMO.users.agent }));
    expect(err.status).toBe(401);
  });

  it('refuses scopes the service app was not granted', async () => {
    const client = clientFor('0oareadonly000000001', OKTA_SCOPES);
    emulator.control.clearRequestLog();
    const err = await failure(client.userApi.getUser({ userId: DEMO.users.agent }));
    // The token endpoint says invalid_scope (400); the SDK then still tries the call, which fails without a token.
    expect(err.status).toBeGreaterThanOrEqual(400);
    const tokenCalls = emulator.control.requestLog().filter((r) => r.path === '/oauth2/v1/token');
    expect(tokenCalls.length).toBeGreaterThan(0);
    expect(tokenCalls.every((r) => r.status === 400)).toBe(true);
  });

  it('answers 403 when the token lacks the scope the call needs', async () => {
    const client = clientFor('0oareadonly000000001', ['okta.users.read']);
    expect((await client.userApi.getUser({ userId: DEMO.users.agent })).id).toBe(DEMO.users.agent);
    const err = await failure(
      client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire }),
    );
    expect([err.status, err.errorCode]).toEqual([403, 'E0000006']);
  });

  /** Posts a hand-made private_key_jwt assertion with the given claims to the token endpoint. */
  async function exchange(claims: Record<string, unknown>): Promise<{ status: number; body: Json }> {
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${b64({ alg: 'RS256', kid: 'svc-key-1' })}.${b64(claims)}`;
    const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
    const res = await fetch(`${emulator.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: `${input}.${signature}`,
      }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  const claimsFor = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: '0oaserviceapp0000001',
      sub: '0oaserviceapp0000001',
      aud: `${emulator.url}/oauth2/v1/token`,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      ...overrides,
    };
  };

  it('refuses a replayed client assertion (same jti) with 401 invalid_client', async () => {
    const claims = claimsFor();
    expect((await exchange(claims)).status).toBe(200);
    const replay = await exchange(claims);
    expect([replay.status, replay.body.error]).toEqual([401, 'invalid_client']);
  });

  it('refuses a client assertion that expires more than an hour ahead', async () => {
    const far = await exchange(claimsFor({ exp: Math.floor(Date.now() / 1000) + 2 * 3600 }));
    expect([far.status, far.body.error]).toEqual([401, 'invalid_client']);
  });

  it('rejects an unknown client', async () => {
    const err = await failure(
      clientFor('0oanobody00000000001', OKTA_SCOPES).userApi.getUser({ userId: DEMO.users.agent }),
    );
    expect(err.status).toBe(401);
  });
});
