import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED } from '../../emulator/okta';
import { LOGS_LIMIT_BY_PLAN } from '../../emulator/okta/rate-limits';
import { createOktaClient, OKTA_SCOPES } from '../../src/okta/client';
import { failure, raw, startHarness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Okta emulator: rate-limit headers under a per-credential share', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
  const NEIGHBOUR = '0oaneighbour00000001';
  const seed = {
    ...DEMO_SEED,
    serviceApps: [
      { clientId: NEIGHBOUR, publicJwk, scopes: [...OKTA_SCOPES, 'okta.principalRateLimits.manage'] },
    ],
  };
  const neighbourClient = (url: string) =>
    createOktaClient({
      orgUrl: url,
      credentials: {
        kind: 'private-key',
        clientId: NEIGHBOUR,
        privateKey: privatePem,
        keyId: 'k1',
        scopes: [...OKTA_SCOPES, 'okta.principalRateLimits.manage'],
      },
    });

  // developer docs rl2-token-oauth, client-specific rate limits: the headers show the client's limit while the org
  // bucket still applies, so another integration spending the org bucket can bring a 429 the headers did not warn of.
  it("shows the credential's own ceiling and count, and answers 429 while they still show room when the org bucket is spent", async () => {
    const { emulator, client } = await startHarness({
      seed,
      rateLimits: { windowMs: 3_600_000, limits: { apps: 10 }, credentialShares: { [NEIGHBOUR]: 80 } },
    });
    try {
      const url = `${emulator.url}/api/v1/apps/${DEMO.appId}/users`;
      const neighbour = neighbourClient(emulator.url);
      for (let i = 0; i < 6; i++) await raw(neighbour, 'GET', url);
      const mine = await raw(client, 'GET', url);
      expect([mine.headers.get('x-rate-limit-limit'), mine.headers.get('x-rate-limit-remaining')]).toEqual([
        '5',
        '4',
      ]);
      await raw(client, 'GET', url);
      await raw(client, 'GET', url);
      await raw(client, 'GET', url); // the org bucket's 10th call
      const over = await failure(raw(client, 'GET', url));
      expect([over.status, over.errorCode]).toEqual([429, 'E0000047']);
      // Our share has 1 left; the org bucket has none.
      expect(over.headers.get('x-rate-limit-remaining')).toBe('1');
    } finally {
      await emulator.stop();
    }
  });

  it('answers the injected 429 fault as a spent bucket: remaining 0 until the reset', async () => {
    const { emulator, client } = await startHarness({ faults: { rateLimitErrorRate: 1 } });
    try {
      const err = await failure(raw(client, 'GET', `${emulator.url}/api/v1/users/${DEMO.users.agent}`));
      expect([err.status, err.errorCode]).toEqual([429, 'E0000047']);
      expect(err.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(Number(err.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(
        Math.floor(Date.now() / 1000),
      );
      expect(emulator.control.requestLog().at(-1)!.cause).toBe('fault');
    } finally {
      await emulator.stop();
    }
  });

  it('defaults the logs bucket to the smaller of the plans’ figures', async () => {
    const { emulator, client } = await startHarness({ rateLimits: { credentialShare: 100 } });
    try {
      const res = await raw(client, 'GET', `${emulator.url}/api/v1/logs?limit=1`);
      expect(res.headers.get('x-rate-limit-limit')).toBe(String(LOGS_LIMIT_BY_PLAN.smaller));
      expect(LOGS_LIMIT_BY_PLAN).toEqual({ smaller: 50, larger: 120 });
    } finally {
      await emulator.stop();
    }
  });

  // Principal Rate Limits API: one entity per API token or OAuth 2.0 app, `defaultPercentage` its share.
  it('lists and changes a principal’s share through /api/v1/principal-rate-limits', async () => {
    const { emulator, client } = await startHarness({
      seed,
      rateLimits: { windowMs: 3_600_000, limits: { apps: 10 } },
    });
    try {
      const base = `${emulator.url}/api/v1/principal-rate-limits`;
      const tokens = (
        await raw(client, 'GET', `${base}?filter=${encodeURIComponent('principalType eq "SSWS_TOKEN"')}`)
      ).json() as Json[];
      const current = (await raw(client, 'GET', `${emulator.url}/api/v1/api-tokens/current`)).json() as Json;
      expect(tokens).toEqual([expect.objectContaining({ principalId: current.id, defaultPercentage: 50 })]);
      const noFilter = await failure(raw(client, 'GET', base));
      expect(noFilter.status).toBe(400);
      const clients = (
        await raw(client, 'GET', `${base}?filter=${encodeURIComponent('principalType eq "OAUTH_CLIENT"')}`)
      ).json() as Json[];
      expect(clients.map((c) => c.principalId)).toEqual([NEIGHBOUR]);
      await raw(client, 'PUT', `${base}/${tokens[0]!.id}`, { ...tokens[0], defaultPercentage: 30 });
      const res = await raw(client, 'GET', `${emulator.url}/api/v1/apps/${DEMO.appId}/users`);
      expect(res.headers.get('x-rate-limit-limit')).toBe('3');
      // An OAuth app without okta.principalRateLimits.read may not read it.
      const reader = createOktaClient({
        orgUrl: emulator.url,
        credentials: {
          kind: 'private-key',
          clientId: NEIGHBOUR,
          privateKey: privatePem,
          keyId: 'k1',
          scopes: OKTA_SCOPES,
        },
      });
      const refused = await failure(
        raw(reader, 'GET', `${base}?filter=${encodeURIComponent('principalType eq "OAUTH_CLIENT"')}`),
      );
      expect(refused.status).toBe(403);
    } finally {
      await emulator.stop();
    }
  });
});
