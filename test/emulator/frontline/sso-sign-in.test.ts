import {
  DEFAULT_FRONTLINE_ACCOUNT_SID,
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  userSidFor,
  type RunningFrontlineEmulator,
} from '../../../emulator/frontline';
import { IDP_ISSUER, IDP_SSO_URL, REALM, makeKey, samlResponse, type TestKey } from './saml-fixtures';

const AUTH = `Basic ${Buffer.from(`${DEFAULT_FRONTLINE_ACCOUNT_SID}:${DEFAULT_FRONTLINE_AUTH_TOKEN}`).toString('base64')}`;

describe('Frontline emulator: signing in at the assertion consumer', () => {
  let emulator: RunningFrontlineEmulator;
  let key: TestKey;
  beforeAll(async () => {
    key = await makeKey();
    emulator = await startFrontlineEmulator({
      sso: { [REALM]: { issuer: IDP_ISSUER, ssoUrl: IDP_SSO_URL, certificate: key.certPem } },
    });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.control.reset());

  /** The browser's auto-post of Okta's form to Twilio IAM's ACS URL, on the emulator's host. */
  const post = (form: Record<string, string>, realmSid = REALM) =>
    fetch(`${emulator.url}/v2/saml2/authenticate/${realmSid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('signs a valid agent in: the user is created with identity = the NameID, active, with one session', async () => {
    const res = await post({ SAMLResponse: await samlResponse({ key }), RelayState: '' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const user = {
      sid: userSidFor('ana@example.com'),
      identity: 'ana@example.com',
      friendlyName: 'ana@example.com',
      avatar: null,
      state: 'active',
      isAvailable: false,
      activeSessions: 1,
    };
    expect(await res.json()).toEqual({
      realmSid: REALM,
      created: true,
      user,
      assertion: {
        issuer: IDP_ISSUER,
        nameId: 'ana@example.com',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        email: 'ana@example.com',
        roles: ['agent'],
      },
      relayState: '',
    });
    expect(emulator.control.users()).toEqual([user]);
    // The Users API now knows them, as Frontline does after a first sign-in.
    const api = await fetch(`${emulator.url}/v1/Users/ana%40example.com`, {
      headers: { authorization: AUTH },
    });
    expect(await api.json()).toMatchObject({ identity: 'ana@example.com', state: 'active' });
  });

  it('takes the identity from the NameID even when email says otherwise', async () => {
    const res = await post({
      SAMLResponse: await samlResponse({
        key,
        nameId: 'ana.diaz',
        attributes: [
          { name: 'email', values: ['ana@example.com'] },
          { name: 'roles', values: ['agent'] },
        ],
      }),
    });
    expect(res.status).toBe(200);
    expect(emulator.control.users().map((u) => u.identity)).toEqual(['ana.diaz']);
  });

  it.each([
    ['displayName', [{ name: 'displayName', values: ['Ana Díaz'] }], 'Ana Díaz'],
    [
      'firstName and lastName',
      [
        { name: 'firstName', values: ['Ana'] },
        { name: 'lastName', values: ['Díaz'] },
      ],
      'Ana Díaz',
    ],
  ])('takes the friendly name from %s when the IdP sends it', async (_what, extra, friendlyName) => {
    const attributes = [
      { name: 'email', values: ['ana@example.com'] },
      { name: 'roles', values: ['agent'] },
      ...extra,
    ];
    const res = await post({ SAMLResponse: await samlResponse({ key, attributes }) });
    expect(res.status).toBe(200);
    expect(emulator.control.getUser('ana@example.com')?.friendlyName).toBe(friendlyName);
  });

  it('opens another session at a later sign-in and creates no second user', async () => {
    await post({ SAMLResponse: await samlResponse({ key }) });
    const again = await post({ SAMLResponse: await samlResponse({ key }) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false, user: { activeSessions: 2 } });
    expect(emulator.control.users()).toHaveLength(1);
  });

  it('refuses a deactivated Frontline user and opens no session', async () => {
    await post({ SAMLResponse: await samlResponse({ key }) });
    const off = await fetch(`${emulator.url}/v1/Users/ana%40example.com`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'State=deactivated',
    });
    expect(off.status).toBe(200);
    const res = await post({ SAMLResponse: await samlResponse({ key }) });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      code: 'user_deactivated',
      reason: 'the Frontline user ana@example.com is deactivated: no session is opened',
    });
    expect(emulator.control.getUser('ana@example.com')).toMatchObject({
      state: 'deactivated',
      activeSessions: 0,
    });
  });

  it('answers 404 for a realm with no SSO configured, and creates no user', async () => {
    const other = 'JBfedcba9876543210fedcba9876543210';
    const res = await post({ SAMLResponse: await samlResponse({ key }) }, other);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 'sso_not_configured',
      reason: `no SSO is configured for realm ${other}: save the IdP issuer, SSO URL and certificate in the console first`,
    });
    expect(emulator.control.users()).toEqual([]);
  });

  it.each([
    ['no SAMLResponse field', {}, 'the form field SAMLResponse is missing'],
    [
      'a SAMLResponse that is not base64',
      { SAMLResponse: '<xml/>' },
      'must be a base64-encoded SAML Response',
    ],
    [
      'a SAMLResponse that is not XML',
      { SAMLResponse: Buffer.from('<a><b></a>').toString('base64') },
      'not well-formed XML',
    ],
    [
      'XML that is not a SAML Response',
      { SAMLResponse: Buffer.from('<Response xmlns="urn:example"/>').toString('base64') },
      'not a SAML 2.0 protocol Response',
    ],
  ])('answers 400 for %s', async (_what, form, reason) => {
    const res = await post(form as Record<string, string>);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; reason: string };
    expect(body.code).toBe('malformed_request');
    expect(body.reason).toContain(reason);
  });

  it('answers 405 for another method on the assertion consumer', async () => {
    const res = await fetch(`${emulator.url}/v2/saml2/authenticate/${REALM}`);
    expect(res.status).toBe(405);
  });

  it('gives control.consume the same answer as the route', async () => {
    const other = await makeKey('other');
    const forged = await samlResponse({ key: other });
    const viaRoute = await post({ SAMLResponse: forged });
    const viaControl = await emulator.control.consume(REALM, forged);
    expect(viaControl).toEqual({ ok: false, status: viaRoute.status, body: await viaRoute.json() });
    const signedIn = await emulator.control.consume(REALM, await samlResponse({ key }), 'state-1');
    expect(signedIn).toMatchObject({ ok: true, status: 200, body: { created: true, relayState: 'state-1' } });
  });

  it('keeps the SAMLResponse out of the request log', async () => {
    const assertion = await samlResponse({ key });
    await post({ SAMLResponse: assertion, RelayState: 'r' });
    const log = emulator.control.requestLog();
    expect(log).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/v2/saml2/authenticate/${REALM}`,
        status: 200,
        auth: 'none',
      }),
    ]);
    expect(JSON.stringify(log)).not.toContain(assertion.slice(0, 40));
  });

  it("locks agents out after the IdP's signing key changes, until the new certificate is pasted", async () => {
    const rotated = await makeKey('rotated');
    const refused = await post({ SAMLResponse: await samlResponse({ key: rotated }) });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'response_signature_invalid' });
    emulator.control.configureSso(REALM, {
      issuer: IDP_ISSUER,
      ssoUrl: IDP_SSO_URL,
      certificate: rotated.certPem,
    });
    expect((await post({ SAMLResponse: await samlResponse({ key: rotated }) })).status).toBe(200);
  });
});
