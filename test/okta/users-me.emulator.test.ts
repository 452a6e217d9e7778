import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient, OKTA_SCOPES } from '../../src/okta/client';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { failure, raw } from '../emulator/helpers';

/*
 * The reconcile asks who runs it (`GET /api/v1/users/me`) so it never grants Frontline to that admin unasked. An
 * API token acts as its admin; a service app's token is linked to no user, and Okta's lookup of `me` then fails
 * (the emulator answers 404 E0000007, as for any user it can't find): the port must read that as "no one".
 * One org for both: an API token, and a service app signing in with a private key.
 */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'svc-key-1', use: 'sig', alg: 'RS256' };
const SERVICE_APP = '0oaserviceapp0000001';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startOktaEmulator({
    seed: { ...DEMO_SEED, serviceApps: [{ clientId: SERVICE_APP, publicJwk, scopes: OKTA_SCOPES }] },
    rateLimits: false,
  });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.setFaults({ readErrorRate: 0 }));

const apiTokenClient = () =>
  createOktaClient({ orgUrl: emu.url, credentials: { kind: 'ssws', token: emu.token } });
const serviceAppClient = () =>
  createOktaClient({
    orgUrl: emu.url,
    credentials: {
      kind: 'private-key',
      clientId: SERVICE_APP,
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      keyId: 'svc-key-1',
      scopes: OKTA_SCOPES,
    },
  });

describe('Okta emulator: GET /api/v1/users/me, the user the credential is linked to', () => {
  it('answers the admin who made the API token', async () => {
    const res = await raw(apiTokenClient(), 'GET', `${emu.url}/api/v1/users/me`);

    expect(res.status).toBe(200);
    expect((res.json() as { id: string }).id).toBe(DEMO.adminId);
  });

  it("answers 404 E0000007 to a service app's token, which is linked to no user", async () => {
    const client = serviceAppClient();

    const err = await failure(client.userApi.getUser({ userId: 'me' }));

    expect(err.status).toBe(404);
    expect(err.errorCode).toBe('E0000007');
    expect(err.errorSummary).toBe('Not found: Resource not found: me (User)');
    // The same token still reads users by id: only `me` has no one behind it.
    expect((await client.userApi.getUser({ userId: DEMO.users.agent })).id).toBe(DEMO.users.agent);
  });

  it("finds no groups for `me` with a service app's token either", async () => {
    const err = await failure(raw(serviceAppClient(), 'GET', `${emu.url}/api/v1/users/me/groups`));

    expect(err.status).toBe(404);
    expect(err.errorCode).toBe('E0000007');
  });
});

describe('Function: createGuardDirectory, getSelfUserId (against the Okta emulator)', () => {
  it('is the admin whose API token makes the calls', async () => {
    expect(await createGuardDirectory(apiTokenClient()).getSelfUserId()).toBe(DEMO.adminId);
  });

  it('is undefined for a service app, whose `me` Okta finds no user for', async () => {
    const directory = createGuardDirectory(serviceAppClient());
    emu.control.clearRequestLog();

    expect(await directory.getSelfUserId()).toBeUndefined();
    expect(
      emu.control
        .requestLog()
        .filter((r) => r.path === '/api/v1/users/me')
        .map((r) => r.status),
    ).toEqual([404]);
  });

  it('throws when Okta fails, rather than reading a 5xx as "no one runs this"', async () => {
    const directory = createGuardDirectory(serviceAppClient());
    await directory.getSelfUserId(); // the token is fetched before the fault
    emu.control.setFaults({ readErrorRate: 1 });

    await expect(directory.getSelfUserId()).rejects.toMatchObject({ name: 'OktaTransientError' });
  });
});
