import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient, OKTA_SCOPES } from '../../src/okta/client';
import { createOktaDirectory } from '../../src/okta/directory';
import { freshDpopProof, dpopSigningKey } from '../../src/okta/dpop-proof';

const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/*
 * The DPoP guide: Okta tracks each proof's `jti` and refuses a reused one. The SDK's own 429 retry re-sends the
 * first request's proof (test/emulator/dpop-replay.test.ts shows the emulator refusing it), so our executor makes the
 * retry itself, with a fresh proof: the CLI, the bootstrap and the reconcile run with 429 retries on.
 */
describe('Function: createOktaClient retries a 429 with a fresh DPoP proof', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'dpop-key-1', use: 'sig', alg: 'RS256' };
  const CLIENT = '0oadpopretry00000001';
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

  const client = (maxRateLimitRetries: number) =>
    createOktaClient({
      orgUrl: emulator.url,
      credentials: {
        kind: 'private-key',
        clientId: CLIENT,
        privateKey: privatePem,
        keyId: 'dpop-key-1',
        scopes: OKTA_SCOPES,
      },
      maxRateLimitRetries,
      requestTimeoutMs: 10_000,
    });

  it('waits for the reset and succeeds, where the SDK’s own retry is refused for the reused proof', async () => {
    const directory = createOktaDirectory(client(2));
    for (let i = 0; i < 3; i++)
      expect((await directory.getUser(DEMO.users.agent))?.id).toBe(DEMO.users.agent);
    const statuses = emulator.control
      .requestLog()
      .filter((r) => r.path === `/api/v1/users/${DEMO.users.agent}`)
      .map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses).toContain(429);
    expect(statuses).not.toContain(400);
  });

  it('returns the 429 (a rate limit the queue waits out) when the wait would pass the request’s budget', async () => {
    const quick = createOktaClient({
      orgUrl: emulator.url,
      credentials: {
        kind: 'private-key',
        clientId: CLIENT,
        privateKey: privatePem,
        keyId: 'dpop-key-1',
        scopes: OKTA_SCOPES,
      },
      maxRateLimitRetries: 2,
      requestTimeoutMs: 300,
    });
    emulator.control.setRateLimits({ windowMs: 60_000 });
    const directory = createOktaDirectory(quick);
    await directory.getUser(DEMO.users.agent);
    await expect(directory.getUser(DEMO.users.agent)).rejects.toMatchObject({ name: 'OktaRateLimitedError' });
  });

  it('mints a proof for the same request with a new jti and iat', () => {
    const key = dpopSigningKey(privatePem);
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const old = `${b64({ typ: 'dpop+jwt', alg: 'RS256', jwk: publicJwk })}.${b64({ htm: 'GET', htu: 'https://x/y', iat: 1, jti: 'a', ath: 'h' })}.sig`;
    const fresh = freshDpopProof(old, key, 5_000_000)!;
    expect(decode(fresh)).toMatchObject({ htm: 'GET', htu: 'https://x/y', ath: 'h', iat: 5000 });
    expect(decode(fresh).jti).not.toBe('a');
  });
});
