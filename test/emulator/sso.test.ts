import { DEMO, SsoRefusedError, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  SAML_ASSERTION,
  api,
  idpMetadata,
  ownSignatures,
  responseDoc,
  signIn,
  updateSignOn,
  validate,
} from './sso-helpers';

const ACS = `https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`;
const AUDIENCE = `https://iam.twilio.com/v2/saml2/metadata/${DEMO.realmSid}`;

describe('Okta emulator: the SAML Response it issues as the identity provider', () => {
  let em: RunningEmulator;
  beforeAll(async () => {
    em = await startOktaEmulator();
  });
  afterAll(() => em.stop());
  beforeEach(() => em.control.reset());

  /** The SP side as Frontline's console holds it: the metadata's issuer and certificate, the app's ACS and audience. */
  const sp = async () => {
    const md = await idpMetadata(em, DEMO.appId);
    return { cert: md.cert, idpIssuer: md.entityId, audience: AUDIENCE, acsUrl: ACS };
  };

  it('issues an assertion for the demo agent that node-saml validates with only the metadata certificate', async () => {
    const appUser = (await api(em, 'GET', `/api/v1/apps/${DEMO.appId}/users/${DEMO.users.agent}`)).json;
    const agent = em.state.getUser(DEMO.users.agent)!;

    const res = await signIn(em, DEMO.appId, DEMO.users.agent);

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ acsUrl: ACS, samlResponse: expect.any(String), relayState: null });
    const profile = await validate(res.json.samlResponse, await sp());
    expect(profile.nameID).toBe(appUser.credentials.userName);
    expect(profile.nameIDFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified');
    expect(profile.issuer).toBe((await idpMetadata(em, DEMO.appId)).entityId);
    expect(profile.email).toBe((agent.profile as { email: string }).email);
    expect(profile.roles).toBe('agent');
  });

  it('addresses the Response to the ACS URL and the app audience, valid for a few minutes, not in response to anything', async () => {
    const before = Date.now();
    const doc = responseDoc((await signIn(em, DEMO.appId, DEMO.users.agent)).json.samlResponse);
    const response = doc.documentElement!;
    const one = (name: string) => doc.getElementsByTagNameNS(SAML_ASSERTION, name)[0]!;

    expect(response.getAttribute('Destination')).toBe(ACS);
    expect(one('SubjectConfirmationData').getAttribute('Recipient')).toBe(ACS);
    expect(one('Audience').textContent).toBe(AUDIENCE);
    expect(response.hasAttribute('InResponseTo')).toBe(false);
    expect(one('SubjectConfirmationData').hasAttribute('InResponseTo')).toBe(false);
    const conditions = one('Conditions');
    const notBefore = Date.parse(conditions.getAttribute('NotBefore')!);
    const notOnOrAfter = Date.parse(conditions.getAttribute('NotOnOrAfter')!);
    expect(notBefore).toBeLessThanOrEqual(before);
    expect(notOnOrAfter - notBefore).toBe(10 * 60_000);
    expect(one('AuthnContextClassRef').textContent).toBe(
      'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
    );
    const attrs = Array.from(doc.getElementsByTagNameNS(SAML_ASSERTION, 'Attribute'));
    expect(attrs.map((a) => [a.getAttribute('Name'), a.getAttribute('NameFormat')])).toEqual([
      ['email', 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic'],
      ['roles', 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic'],
    ]);
  });

  it('refuses a user who is not assigned to the app', async () => {
    const res = await signIn(em, DEMO.appId, DEMO.users.newHire);

    expect(res.status).toBe(403);
    expect(res.json.code).toBe('not-assigned');
    expect(res.json.reason).toMatch(/not assigned this app/);
    expect(res.json.samlResponse).toBeUndefined();
  });

  it.each([
    ['SUSPENDED', DEMO.users.suspended],
    ['DEPROVISIONED', DEMO.users.deprovisioned],
    ['LOCKED_OUT', DEMO.users.lockedOut],
  ])('refuses a %s user', async (status, userId) => {
    const res = await signIn(em, DEMO.appId, userId);

    expect(res.status).toBe(403);
    expect(res.json).toEqual({ code: 'user-not-active', reason: expect.stringContaining(status) });
  });

  it('refuses a user suspended after being assigned, and signs them in again once unsuspended', async () => {
    await api(em, 'POST', `/api/v1/users/${DEMO.users.agent}/lifecycle/suspend`);
    expect((await signIn(em, DEMO.appId, DEMO.users.agent)).status).toBe(403);

    await api(em, 'POST', `/api/v1/users/${DEMO.users.agent}/lifecycle/unsuspend`);
    expect((await signIn(em, DEMO.appId, DEMO.users.agent)).status).toBe(200);
  });

  it('refuses every user of an inactive app', async () => {
    await api(em, 'POST', `/api/v1/apps/${DEMO.appId}/lifecycle/deactivate`);

    const res = await signIn(em, DEMO.appId, DEMO.users.agent);

    expect(res.status).toBe(403);
    expect(res.json.code).toBe('app-inactive');
  });

  it('answers 404 for an unknown app or user and 400 without a userId', async () => {
    expect((await signIn(em, '0oanosuchapp00000000', DEMO.users.agent)).status).toBe(404);
    expect((await signIn(em, DEMO.appId, '00unosuchuser0000000')).status).toBe(404);
    const res = await fetch(`${em.url}/__emulator/sso/${DEMO.appId}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
  });

  it('signs only the Assertion when responseSigned is false', async () => {
    await updateSignOn(em, DEMO.appId, { responseSigned: false, assertionSigned: true });

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    const doc = responseDoc(samlResponse);
    const assertion = doc.getElementsByTagNameNS(SAML_ASSERTION, 'Assertion')[0]!;
    expect(ownSignatures(doc.documentElement!)).toHaveLength(0);
    expect(ownSignatures(assertion)).toHaveLength(1);
    await expect(validate(samlResponse, await sp())).rejects.toThrow();
    const profile = await validate(samlResponse, { ...(await sp()), wantAuthnResponseSigned: false });
    expect(profile.roles).toBe('agent');
  });

  it('signs only the Response when assertionSigned is false', async () => {
    await updateSignOn(em, DEMO.appId, { responseSigned: true, assertionSigned: false });

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    const doc = responseDoc(samlResponse);
    const assertion = doc.getElementsByTagNameNS(SAML_ASSERTION, 'Assertion')[0]!;
    expect(ownSignatures(doc.documentElement!)).toHaveLength(1);
    expect(ownSignatures(assertion)).toHaveLength(0);
    await expect(validate(samlResponse, await sp())).rejects.toThrow();
    const profile = await validate(samlResponse, { ...(await sp()), wantAssertionsSigned: false });
    expect(profile.roles).toBe('agent');
  });

  it('refuses an app that signs neither the Response nor the Assertion', async () => {
    await updateSignOn(em, DEMO.appId, { responseSigned: false, assertionSigned: false });

    const res = await signIn(em, DEMO.appId, DEMO.users.agent);

    expect(res.status).toBe(403);
    expect(res.json.code).toBe('unsigned');
  });

  it('signs with RSA-SHA1 and a SHA-1 digest when the app says so', async () => {
    await updateSignOn(em, DEMO.appId, { signatureAlgorithm: 'RSA_SHA1', digestAlgorithm: 'SHA1' });

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
    expect(xml.match(/SignatureMethod Algorithm="([^"]+)"/g)).toEqual([
      'SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"',
      'SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"',
    ]);
    expect(xml).toContain('DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"');
    expect(xml).not.toContain('sha256');
    expect((await validate(samlResponse, await sp())).roles).toBe('agent');
  });

  it('signs with the active key the metadata publishes, not an older one', async () => {
    const generated = await api(
      em,
      'POST',
      `/api/v1/apps/${DEMO.appId}/credentials/keys/generate?validityYears=2`,
    );
    const app = (await api(em, 'GET', `/api/v1/apps/${DEMO.appId}`)).json;
    const oldCert = (await idpMetadata(em, DEMO.appId)).cert;
    app.credentials.signing.kid = generated.json.kid;
    await api(em, 'PUT', `/api/v1/apps/${DEMO.appId}`, app);

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    expect((await validate(samlResponse, await sp())).roles).toBe('agent');
    await expect(validate(samlResponse, { ...(await sp()), cert: oldCert })).rejects.toThrow();
  });

  it('applies the CASB overrides to the ACS URL, Destination, Recipient and Audience', async () => {
    await updateSignOn(em, DEMO.appId, {
      ssoAcsUrlOverride: 'https://casb.example.com/acs',
      destinationOverride: 'https://casb.example.com/destination',
      recipientOverride: 'https://casb.example.com/recipient',
      audienceOverride: 'https://casb.example.com/audience',
    });

    const res = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    const doc = responseDoc(res.samlResponse);
    expect(res.acsUrl).toBe('https://casb.example.com/acs');
    expect(doc.documentElement!.getAttribute('Destination')).toBe('https://casb.example.com/destination');
    const one = (name: string) => doc.getElementsByTagNameNS(SAML_ASSERTION, name)[0]!;
    expect(one('SubjectConfirmationData').getAttribute('Recipient')).toBe(
      'https://casb.example.com/recipient',
    );
    expect(one('Audience').textContent).toBe('https://casb.example.com/audience');
  });

  it('uses the username a group assignment gave the user, from the app username template', async () => {
    const app = (await api(em, 'GET', `/api/v1/apps/${DEMO.appId}`)).json;
    app.credentials.userNameTemplate = { template: '${String.toUpperCase(source.email)}', type: 'CUSTOM' };
    await api(em, 'PUT', `/api/v1/apps/${DEMO.appId}`, app);
    await api(em, 'PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {});
    const appUser = (await api(em, 'GET', `/api/v1/apps/${DEMO.appId}/users/${DEMO.users.wrongType}`)).json;
    expect(appUser.scope).toBe('GROUP');

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.wrongType)).json;

    const profile = await validate(samlResponse, await sp());
    expect(profile.nameID).toBe('WES.WRONGTYPE@EXAMPLE.COM');
    expect(profile.roles).toBe('manager');
  });

  it('leaves out an attribute whose expression is null for the user, with the others intact', async () => {
    await api(em, 'POST', `/api/v1/apps/${DEMO.appId}/users`, { id: DEMO.users.newHire });

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.newHire)).json;

    const profile = await validate(samlResponse, await sp());
    expect(profile.email).toBe('nina.newhire@example.com');
    expect(profile.roles).toBeUndefined();
  });

  it('rejects in process with an SsoRefusedError carrying the code and reason', async () => {
    await expect(em.control.issueSamlResponse(DEMO.appId, DEMO.users.newHire)).rejects.toBeInstanceOf(
      SsoRefusedError,
    );
    await expect(em.control.issueSamlResponse(DEMO.appId, DEMO.users.newHire)).rejects.toMatchObject({
      code: 'not-assigned',
      status: 403,
    });
    const issued = await em.control.issueSamlResponse(DEMO.appId, 'alex.agent@example.com');
    expect(issued.nameId).toBe('alex.agent@example.com');
    expect(issued.attributes).toEqual([
      {
        name: 'email',
        nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
        values: ['alex.agent@example.com'],
      },
      { name: 'roles', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', values: ['agent'] },
    ]);
  });
});
