import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { OKTA_SCOPES } from '../../src/okta/client';
import { runDoctor } from '../../src/ops/doctor';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'share-key', use: 'sig', alg: 'RS256' };
const READER = '0oasharereader000001';
const PLAIN = '0oashareplain0000001';

/*
 * Principal Rate Limits API (`/api/v1/principal-rate-limits`): one entity per API token or OAuth 2.0 app, whose
 * `defaultPercentage` is its share of each rate-limit bucket (Okta's default 50%, developer docs rl2-token-oauth).
 * doctor reports it where Okta lets it be read.
 */
describe('Function: runDoctor reports the credential’s rate-limit share', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startOktaEmulator({
      seed: {
        ...DEMO_SEED,
        serviceApps: [
          { clientId: READER, publicJwk, scopes: [...OKTA_SCOPES, 'okta.principalRateLimits.read'] },
          { clientId: PLAIN, publicJwk, scopes: OKTA_SCOPES },
        ],
      },
      rateLimits: { credentialShares: { [READER]: 30 } },
    });
  });
  afterAll(() => emu.stop());

  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    OKTA_ORG_URL: emu.url,
    FRONTLINE_GROUP_ID: DEMO.groupId,
    FRONTLINE_APP_ID: DEMO.appId,
    FRONTLINE_REALM_SID: DEMO.realmSid,
    ...extra,
  });
  const serviceApp = (clientId: string, scopes: string[]) =>
    env({
      OKTA_CLIENT_ID: clientId,
      OKTA_PRIVATE_KEY: privatePem,
      OKTA_KEY_ID: 'share-key',
      OKTA_SCOPES: scopes.join(' '),
    });
  const shareLine = async (e: NodeJS.ProcessEnv) =>
    (await runDoctor(e)).checks.find((c) => c.name === 'rate-limit share');

  it('reads the API token’s share through the token’s id', async () => {
    expect(await shareLine(env({ OKTA_API_TOKEN: emu.token }))).toEqual({
      name: 'rate-limit share',
      ok: true,
      message: expect.stringContaining('the API token may use 50% of each rate-limit bucket'),
    });
  });

  it('reads a service app’s share when it is granted okta.principalRateLimits.read', async () => {
    const line = await shareLine(serviceApp(READER, [...OKTA_SCOPES, 'okta.principalRateLimits.read']));
    expect(line?.message).toContain(`the service app ${READER} may use 30% of each rate-limit bucket`);
  });

  it('says it can’t be read without the scope, and assumes Okta’s default, without failing doctor', async () => {
    const line = await shareLine(serviceApp(PLAIN, OKTA_SCOPES));
    expect(line).toEqual({
      name: 'rate-limit share',
      ok: true,
      message: expect.stringContaining(
        "can't be read (grant okta.principalRateLimits.read to read it); Okta's default is 50%",
      ),
    });
  });
});
