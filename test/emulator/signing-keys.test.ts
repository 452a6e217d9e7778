import { X509Certificate } from 'node:crypto';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { api } from './sso-helpers';

/*
 * The app's signing keys as Okta's Management API has them: "Generate a key credential" honours `validityYears`
 * (2–10), the new key stays inactive until a PUT of the app names it, and the signing object carries its read-only
 * rotation fields.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const APP = `/api/v1/apps/${DEMO.appId}`;

describe('Emulator: app signing keys', () => {
  let em: RunningEmulator;

  beforeAll(async () => {
    em = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  });
  afterAll(async () => em.stop());
  beforeEach(async () => em.control.reset('demo'));

  const generate = (years: string) =>
    api(em, 'POST', `${APP}/credentials/keys/generate?validityYears=${years}`);
  const certOf = (jwk: Json) => new X509Certificate(Buffer.from(String(jwk.x5c[0]), 'base64'));

  it('makes a 2-year key that expires two years (less a second) after it was made, as its certificate says', async () => {
    const { status, json } = await generate('2');

    expect(status).toBe(201);
    const created = new Date(json.created as string);
    const twoYears = new Date(created);
    twoYears.setUTCFullYear(created.getUTCFullYear() + 2);
    expect(Date.parse(json.expiresAt as string)).toBe(twoYears.getTime() - 1000);
    const cert = certOf(json);
    expect(new Date(cert.validTo).toISOString()).toBe(json.expiresAt);
    expect(Date.parse(cert.validFrom)).toBe(created.getTime() - 60_000);
    expect(json).toMatchObject({ kty: 'RSA', use: 'sig', kid: expect.any(String) });
  });

  it.each(['2', '5', '10'])('honours validityYears=%s', async (years) => {
    const { json } = await generate(years);
    const created = new Date(json.created as string);
    const end = new Date(created);
    end.setUTCFullYear(created.getUTCFullYear() + Number(years));
    expect(new Date(certOf(json).validTo).getTime()).toBe(end.getTime() - 1000);
  });

  it.each(['1', '11', '', 'two', '2.5'])(
    'refuses validityYears=%j with 400 E0000001 and Okta’s cause',
    async (years) => {
      const { status, json } = await generate(years);

      expect(status).toBe(400);
      expect(json).toMatchObject({
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: generateKey',
        errorCauses: [{ errorSummary: 'Validity years out of range. It should be 2 - 10 years.' }],
      });
    },
  );

  it('keeps the new key inactive: the app still signs with its old key, and both are listed', async () => {
    const before = (await api(em, 'GET', APP)).json;
    const { json: key } = await generate('2');

    const after = (await api(em, 'GET', APP)).json;
    expect(after.credentials.signing).toEqual(before.credentials.signing);
    const kids = ((await api(em, 'GET', `${APP}/credentials/keys`)).json as unknown as Json[]).map(
      (k) => k.kid,
    );
    expect(kids).toEqual([before.credentials.signing.kid, key.kid]);
    expect((await api(em, 'GET', `${APP}/credentials/keys/${String(key.kid)}`)).json.expiresAt).toBe(
      key.expiresAt,
    );
  });

  it('reports the rotation fields: MANUAL, nothing scheduled, and when the key last changed', async () => {
    const { signing } = (await api(em, 'GET', APP)).json.credentials;

    expect(signing).toEqual({
      kid: DEMO.signingKid,
      lastRotated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      nextRotation: null,
      rotationMode: 'MANUAL',
    });
  });

  it('moves lastRotated when a PUT switches the key, and only then', async () => {
    const app = (await api(em, 'GET', APP)).json;
    const first = String(app.credentials.signing.lastRotated);
    // A PUT that keeps the key, even one that sends other rotation values, changes none of them (read-only).
    app.credentials.signing = {
      ...app.credentials.signing,
      lastRotated: '2001-01-01T00:00:00.000Z',
      nextRotation: '2001-02-01T00:00:00.000Z',
      rotationMode: 'AUTO',
    };
    const kept = (await api(em, 'PUT', APP, app)).json;
    expect(kept.credentials.signing).toMatchObject({
      lastRotated: first,
      nextRotation: null,
      rotationMode: 'MANUAL',
    });

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { json: key } = await generate('2');
    const switched = (
      await api(em, 'PUT', APP, { ...kept, credentials: { ...kept.credentials, signing: { kid: key.kid } } })
    ).json;
    expect(switched.credentials.signing.kid).toBe(key.kid);
    expect(Date.parse(String(switched.credentials.signing.lastRotated))).toBeGreaterThan(Date.parse(first));
    expect((await api(em, 'GET', APP)).json.credentials.signing).toEqual(switched.credentials.signing);
  });
});
