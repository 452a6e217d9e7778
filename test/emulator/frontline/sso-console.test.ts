import { startFrontlineEmulator, type RunningFrontlineEmulator } from '../../../emulator/frontline';
import { IDP_ISSUER, IDP_SSO_URL, REALM, makeKey, type TestKey } from './saml-fixtures';

const OTHER_REALM = 'JBfedcba9876543210fedcba9876543210';

describe('Frontline emulator: the console SSO page', () => {
  let emulator: RunningFrontlineEmulator;
  let key: TestKey;
  beforeAll(async () => {
    key = await makeKey();
    emulator = await startFrontlineEmulator({
      sso: { [OTHER_REALM]: { issuer: IDP_ISSUER, ssoUrl: IDP_SSO_URL, certificate: key.certBase64 } },
    });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.control.reset());

  const page = (method: 'GET' | 'PUT', realmSid: string, body?: unknown) =>
    fetch(`${emulator.url}/__emulator/sso/${realmSid}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('answers 404 for a realm whose SSO page was never saved', async () => {
    const res = await page('GET', REALM);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: `no SSO is configured for realm ${REALM}` });
  });

  it('saves the three values setup prints and reads them back, with the realm SP URLs', async () => {
    const saved = await page('PUT', REALM, {
      issuer: IDP_ISSUER,
      ssoUrl: IDP_SSO_URL,
      certificate: key.certPem,
    });
    expect(saved.status).toBe(200);
    const expected = {
      realmSid: REALM,
      issuer: IDP_ISSUER,
      ssoUrl: IDP_SSO_URL,
      certificate: key.certPem,
      acsUrl: `https://iam.twilio.com/v2/saml2/authenticate/${REALM}`,
      audience: `https://iam.twilio.com/v2/saml2/metadata/${REALM}`,
    };
    expect(await saved.json()).toEqual(expected);
    const read = await page('GET', REALM);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(expected);
    expect(emulator.control.getSso(REALM)).toEqual(expected);
  });

  it('takes the certificate as base64 DER and keeps it as the same PEM', async () => {
    const wrapped = key.certBase64.replace(/(.{64})/g, '$1\n');
    const res = await page('PUT', REALM, { issuer: IDP_ISSUER, ssoUrl: IDP_SSO_URL, certificate: wrapped });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { certificate: string }).certificate).toBe(key.certPem);
  });

  it.each([
    ['a Realm SID that is not JB + 32 hex', 'JB123', {}, 'realmSid must be JB followed by 32 hex digits'],
    ['a missing issuer', REALM, { issuer: ' ' }, 'issuer (a non-empty string) is required'],
    ['an SSO URL that is not a URL', REALM, { ssoUrl: 'okta' }, 'ssoUrl (an absolute http or https URL)'],
    ['a certificate that is not base64', REALM, { certificate: 'not a cert!' }, 'certificate must be PEM'],
    ['a certificate that is not X.509', REALM, { certificate: 'AAAA' }, 'not a readable X.509 certificate'],
  ])('refuses %s with 400 and saves nothing', async (_what, realmSid, override, message) => {
    const body = { issuer: IDP_ISSUER, ssoUrl: IDP_SSO_URL, certificate: key.certPem, ...override };
    const res = await page('PUT', realmSid, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    expect(emulator.control.getSso(realmSid)).toBeUndefined();
  });

  it('replaces the saved values on a second save, as pasting a new certificate does', async () => {
    const next = await makeKey('rotated');
    emulator.control.configureSso(REALM, {
      issuer: IDP_ISSUER,
      ssoUrl: IDP_SSO_URL,
      certificate: key.certPem,
    });
    emulator.control.configureSso(REALM, {
      issuer: IDP_ISSUER,
      ssoUrl: IDP_SSO_URL,
      certificate: next.certPem,
    });
    expect(emulator.control.getSso(REALM)?.certificate).toBe(next.certPem);
  });

  it('goes back to the SSO settings it started with on reset', async () => {
    emulator.control.configureSso(REALM, {
      issuer: IDP_ISSUER,
      ssoUrl: IDP_SSO_URL,
      certificate: key.certPem,
    });
    expect((await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' })).status).toBe(204);
    expect(emulator.control.getSso(REALM)).toBeUndefined();
    expect(emulator.control.getSso(OTHER_REALM)).toMatchObject({
      issuer: IDP_ISSUER,
      certificate: key.certPem,
    });
  });
});
