import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { SAML_ASSERTION, api, idpMetadata, responseDoc, signIn, updateSignOn, validate } from './sso-helpers';

/*
 * The assertion the Okta emulator issues carries the app's federated claims beside its legacy attribute statements
 * (Okta's federated-claims guide: the claim "is included in tokens produced by federation protocols", and its SAML
 * example shows the claim as an Attribute with the unspecified NameFormat). Claims are Identity Engine expressions.
 */

const ACS = `https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`;
const AUDIENCE = `https://iam.twilio.com/v2/saml2/metadata/${DEMO.realmSid}`;
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';
const CLAIMS = `/api/v1/apps/${DEMO.appId}/federated-claims`;

describe('Okta emulator: federated claims in the SAML assertion', () => {
  let em: RunningEmulator;
  beforeAll(async () => {
    em = await startOktaEmulator();
  });
  afterAll(() => em.stop());
  beforeEach(() => em.control.reset());

  const claim = (name: string, expression: string) => api(em, 'POST', CLAIMS, { name, expression });
  const withoutStatements = () => updateSignOn(em, DEMO.appId, { attributeStatements: [] });
  /** Each Attribute of the assertion: Name, NameFormat and values, in document order. */
  const attributesOf = (samlResponse: string) =>
    Array.from(responseDoc(samlResponse).getElementsByTagNameNS(SAML_ASSERTION, 'Attribute')).map((a) => ({
      name: a.getAttribute('Name'),
      nameFormat: a.getAttribute('NameFormat'),
      values: Array.from(a.getElementsByTagNameNS(SAML_ASSERTION, 'AttributeValue')).map(
        (v) => v.textContent,
      ),
    }));

  it('sends each claim as an Attribute with the unspecified NameFormat, evaluating user.profile.* and literals', async () => {
    await withoutStatements();
    await claim('email', 'user.profile.email');
    await claim('roles', '"agent"');
    await claim('userId', 'user.id');

    const res = await signIn(em, DEMO.appId, DEMO.users.agent);
    expect(res.status).toBe(200);
    expect(attributesOf(res.json.samlResponse)).toEqual([
      { name: 'email', nameFormat: UNSPECIFIED, values: ['alex.agent@example.com'] },
      { name: 'roles', nameFormat: UNSPECIFIED, values: ['agent'] },
      { name: 'userId', nameFormat: UNSPECIFIED, values: [DEMO.users.agent] },
    ]);
    // A service provider validating against the IdP metadata reads them as any other attribute.
    const md = await idpMetadata(em, DEMO.appId);
    const profile = await validate(res.json.samlResponse, {
      cert: md.cert,
      idpIssuer: md.entityId,
      audience: AUDIENCE,
      acsUrl: ACS,
    });
    expect(profile).toMatchObject({ email: 'alex.agent@example.com', roles: 'agent' });
  });

  it('sends a claim and a legacy statement of one name both, the statement first', async () => {
    await claim('roles', '"supervisor"');
    const res = await signIn(em, DEMO.appId, DEMO.users.agent);
    expect(attributesOf(res.json.samlResponse).filter((a) => a.name === 'roles')).toEqual([
      { name: 'roles', nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', values: ['agent'] },
      { name: 'roles', nameFormat: UNSPECIFIED, values: ['supervisor'] },
    ]);
  });

  it('leaves out a claim whose value is null', async () => {
    await claim('backup', 'user.profile.secondEmail');
    const res = await signIn(em, DEMO.appId, DEMO.users.agent);
    expect(attributesOf(res.json.samlResponse).map((a) => a.name)).toEqual(['email', 'roles']);
  });

  it.each([
    [
      'user.email',
      /user\.email is not something Identity Engine expressions name.*user\.profile\.<attribute>/,
    ],
    [
      'user.profile.noSuchAttribute',
      /user\.profile\.noSuchAttribute is not an attribute of the Okta user profile/,
    ],
    ['String.toLowerCase(user.profile.email)', /not an Identity Engine function/],
  ])('refuses the sign-in for a claim it cannot evaluate: %s', async (expression, reason) => {
    await claim('email', expression);
    const res = await signIn(em, DEMO.appId, DEMO.users.agent);
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      code: 'expression',
      reason: expect.stringMatching(/^federated claim "email": /),
    });
    expect(res.json.reason).toMatch(reason);
  });

  it('stops sending a deleted claim', async () => {
    const { json } = await claim('team', '"care"');
    await api(em, 'DELETE', `${CLAIMS}/${String(json.id)}`);
    const res = await signIn(em, DEMO.appId, DEMO.users.agent);
    expect(attributesOf(res.json.samlResponse).map((a) => a.name)).toEqual(['email', 'roles']);
  });
});
