import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { SAML_ASSERTION, idpMetadata, responseDoc, signIn, updateSignOn, validate } from './sso-helpers';

const ACS = `https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`;
const AUDIENCE = `https://iam.twilio.com/v2/saml2/metadata/${DEMO.realmSid}`;
const BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

/** An SP's encryption key pair and certificate (what the SP would upload to Okta). */
async function spEncryptionKey(): Promise<{ privateKeyPem: string; certBase64: string }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const pems = await generate([{ name: 'commonName', value: 'frontline-sp' }], {
    keyPair: { publicKey, privateKey },
    algorithm: 'sha256',
  });
  return { privateKeyPem: privateKey, certBase64: new X509Certificate(pems.cert).raw.toString('base64') };
}

describe('Okta emulator: attribute statements, encryption and the IdP-initiated URL', () => {
  let em: RunningEmulator;
  beforeAll(async () => {
    em = await startOktaEmulator();
  });
  afterAll(() => em.stop());
  beforeEach(() => em.control.reset());

  const sp = async () => {
    const md = await idpMetadata(em, DEMO.appId);
    return { cert: md.cert, idpIssuer: md.entityId, audience: AUDIENCE, acsUrl: ACS };
  };
  const statement = (name: string, ...values: string[]) => ({
    type: 'EXPRESSION',
    name,
    namespace: BASIC,
    values,
  });

  it('evaluates String functions, literals, bare constants and concatenation in attribute statements', async () => {
    await updateSignOn(em, DEMO.appId, {
      attributeStatements: [
        statement('email', 'String.toLowerCase(user.email)'),
        statement('roles', '"agent"'),
        statement('team', 'support'),
        statement('handle', 'String.toUpperCase(String.substringBefore(user.email, "@"))'),
        statement('name', 'user.firstName + " " + user.lastName'),
        statement('site', 'String.stringContains(user.department, "Care") ? "care" : "other"'),
        {
          type: 'EXPRESSION',
          name: 'urn:oid:0.9.2342.19200300.100.1.3',
          namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
          values: ['user.email'],
        },
      ],
    });

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    const profile = await validate(samlResponse, await sp());
    expect(profile).toMatchObject({
      email: 'alex.agent@example.com',
      roles: 'agent',
      team: 'support',
      handle: 'ALEX.AGENT',
      name: 'Alex Agent',
      site: 'care',
      'urn:oid:0.9.2342.19200300.100.1.3': 'alex.agent@example.com',
    });
    const uri = Array.from(responseDoc(samlResponse).getElementsByTagNameNS(SAML_ASSERTION, 'Attribute')).at(
      -1,
    )!;
    expect(uri.getAttribute('NameFormat')).toBe('urn:oasis:names:tc:SAML:2.0:attrname-format:uri');
  });

  it('sends one value per group that passes a GROUP statement filter', async () => {
    await updateSignOn(em, DEMO.appId, {
      attributeStatements: [
        { type: 'GROUP', name: 'groups', namespace: BASIC, filterType: 'STARTS_WITH', filterValue: 'Front' },
      ],
    });

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    expect((await validate(samlResponse, await sp())).groups).toBe('Frontline Agents');
  });

  it.each([
    ['an attribute the profile does not define', 'user.userTyp', /user\.userTyp is not an attribute/],
    ['a misspelled function', 'Strng.toLowerCase(user.email)', /Strng\.toLowerCase\(\) is not a function/],
    ['a function called with the wrong arguments', 'String.substringBefore(user.email)', /takes 2 arguments/],
    ['an unterminated literal', '"agent', /unterminated string literal/],
    ['something outside the subset', 'user.getGroups()', /user\.getGroups\(\) is not a function/],
  ])('refuses %s with the statement and the reason', async (_what, expression, reason) => {
    await updateSignOn(em, DEMO.appId, {
      attributeStatements: [statement('email', 'user.email'), statement('roles', expression)],
    });

    const res = await signIn(em, DEMO.appId, DEMO.users.agent);

    expect(res.status).toBe(403);
    expect(res.json.code).toBe('expression');
    expect(res.json.reason).toContain('attribute statement "roles"');
    expect(res.json.reason).toMatch(reason);
    expect(res.json.samlResponse).toBeUndefined();
  });

  it('encrypts the signed assertion for the SP certificate when assertion encryption is on', async () => {
    const key = await spEncryptionKey();
    await updateSignOn(em, DEMO.appId, {
      assertionEncryption: {
        enabled: true,
        encryptionAlgorithm: 'AES256_GCM',
        keyTransportAlgorithm: 'RSA_OAEP',
        x5c: [key.certBase64],
      },
    });

    const { samlResponse } = (await signIn(em, DEMO.appId, DEMO.users.agent)).json;

    const doc = responseDoc(samlResponse);
    expect(doc.getElementsByTagNameNS(SAML_ASSERTION, 'EncryptedAssertion')).toHaveLength(1);
    expect(doc.getElementsByTagNameNS(SAML_ASSERTION, 'Assertion')).toHaveLength(0);
    expect(Buffer.from(samlResponse, 'base64').toString()).toContain(
      'http://www.w3.org/2009/xmlenc11#aes256-gcm',
    );
    await expect(validate(samlResponse, await sp())).rejects.toThrow();
    const profile = await validate(samlResponse, { ...(await sp()), decryptionPvk: key.privateKeyPem });
    expect(profile.nameID).toBe('alex.agent@example.com');
    expect(profile.roles).toBe('agent');
  });

  it('refuses to sign in when encryption is on but the app holds no SP certificate', async () => {
    await updateSignOn(em, DEMO.appId, { assertionEncryption: { enabled: true } });

    const res = await signIn(em, DEMO.appId, DEMO.users.agent);

    expect(res.status).toBe(403);
    expect(res.json.code).toBe('encryption-certificate');
    expect(res.json.reason).toMatch(/x5c/);
  });

  it('answers the IdP-initiated URL from the metadata with an auto-post form to the ACS URL', async () => {
    const md = await idpMetadata(em, DEMO.appId);

    const res = await fetch(`${md.ssoUrl}?userId=${DEMO.users.agent}`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toMatch(/<form id="appForm" action="([^"]+)" method="POST">/);
    expect(/action="([^"]+)"/.exec(page)![1]).toBe(ACS);
    expect(page).toContain("document.getElementById('appForm').submit()");
    expect(page).not.toContain('name="RelayState"');
    const samlResponse = /name="SAMLResponse" type="hidden" value="([^"]+)"/.exec(page)![1]!;
    expect((await validate(samlResponse, await sp())).roles).toBe('agent');
  });

  it('posts the default RelayState with the form when the app has one', async () => {
    await updateSignOn(em, DEMO.appId, { defaultRelayState: '/inbox?x=1&y=2' });
    const md = await idpMetadata(em, DEMO.appId);

    const page = await (await fetch(`${md.ssoUrl}?userId=alex.agent@example.com`)).text();

    expect(page).toContain('<input name="RelayState" type="hidden" value="/inbox?x=1&amp;y=2"/>');
    expect((await signIn(em, DEMO.appId, DEMO.users.agent)).json.relayState).toBe('/inbox?x=1&y=2');
  });

  it('answers the IdP-initiated URL with an error page, no form, when Okta refuses or there is no session', async () => {
    const md = await idpMetadata(em, DEMO.appId);

    const refused = await fetch(`${md.ssoUrl}?userId=${DEMO.users.newHire}`);
    const noSession = await fetch(md.ssoUrl);
    const unknown = await fetch(`${em.url}/app/nosuchapp/exknosuchkey/sso/saml?userId=${DEMO.users.agent}`);

    expect(refused.status).toBe(403);
    const page = await refused.text();
    expect(page).toMatch(/not assigned this app/);
    expect(page).not.toContain('SAMLResponse');
    expect(noSession.status).toBe(401);
    expect(await noSession.text()).toContain('userId');
    expect(unknown.status).toBe(404);
  });

  it('serves the IdP-initiated URL without an API token and keeps it out of the API rate limits', async () => {
    const md = await idpMetadata(em, DEMO.appId);
    em.control.clearRequestLog();

    await fetch(`${md.ssoUrl}?userId=${DEMO.users.agent}`);

    expect(em.control.requestLog()).toEqual([
      expect.objectContaining({ path: new URL(md.ssoUrl).pathname, bucket: 'browser', status: 200 }),
    ]);
    expect(em.control.requestLog()[0]!.credential).toBeUndefined();
  });
});
