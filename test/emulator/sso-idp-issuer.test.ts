import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { SAML_ASSERTION, idpMetadata, responseDoc, signIn, updateSignOn, validate } from './sso-helpers';

const ACS = `https://iam.twilio.com/v2/saml2/authenticate/${DEMO.realmSid}`;
const AUDIENCE = `https://iam.twilio.com/v2/saml2/metadata/${DEMO.realmSid}`;
/** The demo app's external key (its entity key in the IdP-initiated URL). */
const EXTERNAL_KEY = `exk${DEMO.appId.slice(3)}`;
const DEFAULT_ISSUER = `http://www.okta.com/${EXTERNAL_KEY}`;

describe('Okta emulator: the IdP issuer of a SAML app (settings.signOn.idpIssuer)', () => {
  let em: RunningEmulator;
  beforeAll(async () => {
    em = await startOktaEmulator();
  });
  afterAll(() => em.stop());
  beforeEach(() => em.control.reset());

  /** The Issuer of the Response and of the Assertion the demo agent's sign-in carries. */
  async function issuers(): Promise<{
    response: string | null;
    assertion: string | null;
    samlResponse: string;
  }> {
    const res = await signIn(em, DEMO.appId, DEMO.users.agent);
    expect(res.status).toBe(200);
    const doc = responseDoc(res.json.samlResponse);
    const [response, assertion] = Array.from(doc.getElementsByTagNameNS(SAML_ASSERTION, 'Issuer'));
    return {
      response: response!.textContent,
      assertion: assertion!.textContent,
      samlResponse: res.json.samlResponse,
    };
  }

  it('renders the default http://www.okta.com/${org.externalKey} with the app instance external key', async () => {
    expect((await idpMetadata(em, DEMO.appId)).entityId).toBe(DEFAULT_ISSUER);
    const got = await issuers();
    expect([got.response, got.assertion]).toEqual([DEFAULT_ISSUER, DEFAULT_ISSUER]);
  });

  it('issues a changed idpIssuer in the Response, the Assertion and the metadata entityID alike', async () => {
    await updateSignOn(em, DEMO.appId, { idpIssuer: 'urn:example:okta:frontline' });

    const md = await idpMetadata(em, DEMO.appId);
    const got = await issuers();

    expect(md.entityId).toBe('urn:example:okta:frontline');
    expect([got.response, got.assertion]).toEqual([md.entityId, md.entityId]);
    // An SP that takes the metadata still accepts it: nothing but the issuer changed.
    const profile = await validate(got.samlResponse, {
      cert: md.cert,
      idpIssuer: md.entityId,
      audience: AUDIENCE,
      acsUrl: ACS,
    });
    expect(profile.issuer).toBe('urn:example:okta:frontline');
  });

  it('renders ${org.externalKey} wherever an override puts it, and nothing else', async () => {
    await updateSignOn(em, DEMO.appId, {
      idpIssuer: 'https://www.okta.com/${org.externalKey}/${org.subdomain}',
    });

    const expected = `https://www.okta.com/${EXTERNAL_KEY}/\${org.subdomain}`;
    expect((await idpMetadata(em, DEMO.appId)).entityId).toBe(expected);
    expect((await issuers()).response).toBe(expected);
  });

  it('falls back to the default when the stored idpIssuer is blank (no override)', async () => {
    // The Apps API refuses a blank idpIssuer, so an app without one is set in the emulator's state.
    const signOn = (em.state.raw.apps.get(DEMO.appId)!.json.settings as { signOn: Record<string, unknown> })
      .signOn;
    delete signOn.idpIssuer;

    expect((await idpMetadata(em, DEMO.appId)).entityId).toBe(DEFAULT_ISSUER);
    expect((await issuers()).assertion).toBe(DEFAULT_ISSUER);
  });

  it('keeps the IdP-initiated sign-in URL on the external key, whatever the issuer', async () => {
    await updateSignOn(em, DEMO.appId, { idpIssuer: 'urn:example:okta:frontline' });

    expect((await idpMetadata(em, DEMO.appId)).ssoUrl).toBe(
      `${em.url}/app/${String(em.state.getApp(DEMO.appId)!.name)}/${EXTERNAL_KEY}/sso/saml`,
    );
  });
});
