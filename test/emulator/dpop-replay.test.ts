import { generateKeyPairSync } from 'node:crypto';
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { OKTA_SCOPES } from '../../src/okta/client';
import { failure } from './helpers';

/** The SDK's own executor, recording the headers of every request it sends (retries included). */
class RecordingExecutor extends DefaultRequestExecutor {
  readonly sent: Record<string, string>[] = [];
  override fetch(request: Parameters<DefaultRequestExecutor['fetch']>[0]) {
    this.sent.push({ ...((request as { headers?: Record<string, string> }).headers ?? {}) });
    return super.fetch(request);
  }
}

/*
 * Okta's DPoP guide: a resource server that enforces `jti` "tracks previous calls to prevent proof reuse"; Okta's
 * APIs answer a reused proof 400 with `WWW-Authenticate: DPoP … error="invalid_dpop_proof",
 * error_description="The DPoP proof JWT has already been used."`.
 */
describe('Okta emulator: a DPoP proof is good for one request', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'dpop-key-1', use: 'sig', alg: 'RS256' };
  const CLIENT = '0oadpopreplay0000001';
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startOktaEmulator({
      seed: {
        ...DEMO_SEED,
        serviceApps: [{ clientId: CLIENT, publicJwk, scopes: OKTA_SCOPES, requireDpop: true }],
      },
      rateLimits: { windowMs: 1_000, limits: { 'users-get': 1 }, credentialShare: 100 },
    });
  });
  afterEach(() => emulator.stop());

  const sdkClient = (executor: DefaultRequestExecutor) =>
    new Client({
      orgUrl: emulator.url,
      authorizationMode: 'PrivateKey',
      clientId: CLIENT,
      privateKey: privatePem,
      keyId: 'dpop-key-1',
      scopes: OKTA_SCOPES,
      cacheMiddleware: null,
      requestExecutor: executor,
    });

  it('refuses a request that presents an already used proof, with the documented challenge', async () => {
    const executor = new RecordingExecutor({ maxRetries: 0, requestTimeout: 0 });
    const client = sdkClient(executor);
    expect((await client.userApi.getUser({ userId: DEMO.users.agent })).id).toBe(DEMO.users.agent);
    const used = executor.sent.find((h) => h.DPoP && h.Authorization?.startsWith('DPoP '))!;
    await new Promise((r) => setTimeout(r, 1_100)); // a fresh window, so only the proof can fail it
    const replay = await fetch(`${emulator.url}/api/v1/users/${DEMO.users.agent}`, {
      headers: { authorization: used.Authorization!, dpop: used.DPoP!, accept: 'application/json' },
    });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('www-authenticate')).toContain('error="invalid_dpop_proof"');
    expect(replay.headers.get('www-authenticate')).toContain('The DPoP proof JWT has already been used.');
  });

  it("refuses the unmodified SDK's 429 retry, which re-sends the first request's proof", async () => {
    const executor = new RecordingExecutor({ maxRetries: 1, requestTimeout: 10_000 });
    const client = sdkClient(executor);
    await client.userApi.getUser({ userId: DEMO.users.agent }); // spends the 1-per-window users-get bucket
    const err = await failure(client.userApi.getUser({ userId: DEMO.users.agent }));
    const statuses = emulator.control
      .requestLog()
      .filter((r) => r.path.startsWith('/api/v1/users/'))
      .map((r) => r.status);
    expect(statuses).toEqual([200, 429, 400]);
    expect(err.status).toBe(400);
    const [first, retry] = executor.sent
      .filter((h) => h['X-Okta-Retry-Count'] !== undefined || h.DPoP)
      .slice(-2);
    expect(retry!.DPoP).toBe(first!.DPoP);
  });
});
