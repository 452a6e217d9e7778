import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { listFederatedClaims, replaceFederatedClaim } from '../../src/okta/federated-claims';
import { failure } from './helpers';
import { api } from './sso-helpers';

/*
 * The Okta emulator's "Application SSO Federated Claims" API, against Okta's Management API reference (tag
 * ApplicationSSOFederatedClaims): the routes, their status codes and bodies, the apps rate-limit bucket, the
 * okta.apps.read / okta.apps.manage scopes, and the System Log event each change is reported as.
 */

const CLAIMS = `/api/v1/apps/${DEMO.appId}/federated-claims`;

describe('Okta emulator: federated claims', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'claims-key', use: 'sig', alg: 'RS256' };
  let em: RunningEmulator;
  beforeAll(async () => {
    em = await startOktaEmulator({
      seed: {
        ...DEMO_SEED,
        serviceApps: [
          { clientId: '0oaappsreader0000001', publicJwk, scopes: ['okta.apps.read'] },
          { clientId: '0oaappsmanager000001', publicJwk, scopes: ['okta.apps.manage'] },
        ],
      },
    });
  });
  afterAll(() => em.stop());
  beforeEach(() => em.control.reset());

  const serviceApp = (clientId: string, scope: string) =>
    createOktaClient({
      orgUrl: em.url,
      credentials: {
        kind: 'private-key',
        clientId,
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        keyId: 'claims-key',
        scopes: [scope],
      },
    });

  it('creates a claim with 201 and an ofc… id, lists it, reads it, replaces it with 201 and deletes it with 204', async () => {
    expect(await api(em, 'GET', CLAIMS)).toEqual({ status: 200, json: [] });

    const created = await api(em, 'POST', CLAIMS, { name: 'roles', expression: '"agent"' });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.stringMatching(/^ofc[0-9A-Za-z]{17}$/),
      name: 'roles',
      expression: '"agent"',
      created: expect.any(String),
      lastUpdated: expect.any(String),
    });
    const id = String(created.json.id);
    expect((await api(em, 'GET', CLAIMS)).json).toEqual([created.json]);
    expect(await api(em, 'GET', `${CLAIMS}/${id}`)).toEqual({ status: 200, json: created.json });

    // The read-only fields sent along are ignored, as the spec marks them.
    const replaced = await api(em, 'PUT', `${CLAIMS}/${id}`, {
      id: 'ofcsomethingelse0000',
      created: '2000-01-01T00:00:00.000Z',
      name: 'roles',
      expression: 'user.profile.userType',
    });
    expect(replaced.status).toBe(201);
    expect(replaced.json).toMatchObject({
      id,
      expression: 'user.profile.userType',
      created: created.json.created,
    });

    expect((await api(em, 'DELETE', `${CLAIMS}/${id}`)).status).toBe(204);
    expect((await api(em, 'GET', CLAIMS)).json).toEqual([]);
  });

  it('is not part of the app object', async () => {
    await api(em, 'POST', CLAIMS, { name: 'roles', expression: '"agent"' });
    const app = (await api(em, 'GET', `/api/v1/apps/${DEMO.appId}`)).json;
    expect(JSON.stringify(app)).not.toContain('"agent"');
  });

  it('answers 404 E0000007 for an unknown claim or app, and 400 E0000001 for a claim without name or expression', async () => {
    const missing = await api(em, 'GET', `${CLAIMS}/ofcnosuchclaim000000`);
    expect([missing.status, missing.json.errorCode]).toEqual([404, 'E0000007']);
    const noApp = await api(em, 'GET', '/api/v1/apps/0oanosuchapp00000000/federated-claims');
    expect([noApp.status, noApp.json.errorCode]).toEqual([404, 'E0000007']);
    for (const method of ['PUT', 'DELETE']) {
      expect(
        (await api(em, method, `${CLAIMS}/ofcnosuchclaim000000`, { name: 'a', expression: 'b' })).status,
      ).toBe(404);
    }
    const blank = await api(em, 'POST', CLAIMS, { name: '', expression: 7 });
    expect(blank.status).toBe(400);
    expect(blank.json).toMatchObject({
      errorCode: 'E0000001',
      errorCauses: [
        { errorSummary: 'name: The field cannot be left blank' },
        { errorSummary: 'expression: The field cannot be left blank' },
      ],
    });
  });

  it('counts every call against the apps bucket, which all of /api/v1/apps/{id}/* shares', async () => {
    em.control.clearRequestLog();
    const { json } = await api(em, 'POST', CLAIMS, { name: 'email', expression: 'user.profile.email' });
    await api(em, 'GET', CLAIMS);
    await api(em, 'GET', `${CLAIMS}/${String(json.id)}`);
    await api(em, 'DELETE', `${CLAIMS}/${String(json.id)}`);
    expect(em.control.requestLog().map((r) => r.bucket)).toEqual(['apps', 'apps', 'apps', 'apps']);
  });

  it('lets okta.apps.read list the claims and refuses it a write, which okta.apps.manage may make', async () => {
    const { json } = await api(em, 'POST', CLAIMS, { name: 'roles', expression: 'user.profile.title' });
    const claim = { id: String(json.id), name: 'roles', expression: '"agent"' };
    const reader = serviceApp('0oaappsreader0000001', 'okta.apps.read');
    expect(await listFederatedClaims(reader, DEMO.appId)).toEqual([
      { ...claim, expression: 'user.profile.title' },
    ]);
    const refused = await failure(replaceFederatedClaim(reader, DEMO.appId, claim));
    expect(refused.status).toBe(403);

    await replaceFederatedClaim(serviceApp('0oaappsmanager000001', 'okta.apps.manage'), DEMO.appId, claim);
    expect((await api(em, 'GET', CLAIMS)).json).toEqual([expect.objectContaining(claim)]);
  });

  it('reports each create, replace and delete as application.lifecycle.update of the app', async () => {
    const { json } = await api(em, 'POST', CLAIMS, { name: 'roles', expression: '"agent"' });
    await api(em, 'PUT', `${CLAIMS}/${String(json.id)}`, {
      name: 'roles',
      expression: 'user.profile.userType',
    });
    await api(em, 'DELETE', `${CLAIMS}/${String(json.id)}`);
    const events = em.control.events().filter((e) => e.eventType === 'application.lifecycle.update');
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e.target).toEqual([expect.objectContaining({ id: DEMO.appId, type: 'AppInstance' })]);
    }
  });

  it('goes back to no claims on reset', async () => {
    await api(em, 'POST', CLAIMS, { name: 'roles', expression: '"agent"' });
    await em.control.reset();
    expect((await api(em, 'GET', CLAIMS)).json).toEqual([]);
  });
});
