import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient, OKTA_SCOPES } from '../../src/okta/client';
import { failure, raw } from './helpers';

describe('Okta emulator: GET /api/v1/users/me, the user the credential is linked to', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'svc-key-1', use: 'sig', alg: 'RS256' };
  const SERVICE_APP = '0oaserviceapp0000001';
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startOktaEmulator({
      seed: { ...DEMO_SEED, serviceApps: [{ clientId: SERVICE_APP, publicJwk, scopes: OKTA_SCOPES }] },
      rateLimits: false,
    });
  });
  afterAll(() => emulator.stop());

  const apiToken = () =>
    createOktaClient({ orgUrl: emulator.url, credentials: { kind: 'ssws', token: emulator.token } });
  const serviceApp = () =>
    createOktaClient({
      orgUrl: emulator.url,
      credentials: {
        kind: 'private-key',
        clientId: SERVICE_APP,
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        keyId: 'svc-key-1',
        scopes: OKTA_SCOPES,
      },
    });

  it('answers the admin who made the API token', async () => {
    const res = await raw(apiToken(), 'GET', `${emulator.url}/api/v1/users/me`);

    expect(res.status).toBe(200);
    expect((res.json() as { id: string }).id).toBe(DEMO.adminId);
  });

  it("answers 404 E0000007 to a service app's token, which is linked to no user", async () => {
    const client = serviceApp();

    const err = await failure(client.userApi.getUser({ userId: 'me' }));

    expect(err.status).toBe(404);
    expect(err.errorCode).toBe('E0000007');
    expect(err.errorSummary).toBe('Not found: Resource not found: me (User)');
    // The same token still reads users by id: only `me` has no one behind it.
    expect((await client.userApi.getUser({ userId: DEMO.users.agent })).id).toBe(DEMO.users.agent);
  });

  it("finds no groups for `me` with a service app's token either", async () => {
    const err = await failure(raw(serviceApp(), 'GET', `${emulator.url}/api/v1/users/me/groups`));

    expect(err.status).toBe(404);
    expect(err.errorCode).toBe('E0000007');
  });
});
