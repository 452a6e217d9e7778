import { desiredAppConfig } from '../../src/domain/app-config';
import { identifyApp, PRODUCT_MARK } from '../../src/domain/app-target';
import { newAppJson } from '../../src/domain/new-app';
import type { RawApp } from '../../src/domain/okta-app';

const REALM = 'JB0123456789abcdef0123456789abcdef';
const OTHER_REALM = 'JBfedcba9876543210fedcba9876543210';
const rules = desiredAppConfig(REALM);

const samlApp = (signOn: Record<string, unknown>, extra: RawApp = {}): RawApp => ({
  id: '0oa1salesforce000000',
  label: 'Salesforce',
  signOnMode: 'SAML_2_0',
  settings: { signOn },
  ...extra,
});

describe('Function: identifyApp', () => {
  it('takes an app this tool would create for the realm as Frontline’s, and marks it as created by the tool', () => {
    const app = { id: '0oa1frontline0000000', ...newAppJson(REALM) } as RawApp;
    expect(identifyApp(app, rules)).toEqual({ frontline: true, why: 'created-by-product' });
    const notes = (app.settings as { notes: { admin: string } }).notes;
    expect(notes.admin).toContain(PRODUCT_MARK);
  });

  it('takes a SAML app whose addresses point at this realm, even when all but one drifted', () => {
    const app = samlApp({ ssoAcsUrl: 'https://evil.example/acs', audience: rules.audience });
    expect(identifyApp(app, rules)).toEqual({ frontline: true, why: 'points-at-realm' });
  });

  it('refuses another SAML app, naming its label and what it points at', () => {
    const app = samlApp({
      ssoAcsUrl: 'https://login.salesforce.com/sso',
      audience: 'https://saml.salesforce.com',
    });
    const target = identifyApp(app, rules);
    expect(target.frontline).toBe(false);
    expect(!target.frontline && target.reason).toMatch(/"Salesforce" is not Frontline's/);
    expect(!target.frontline && target.reason).toMatch(/https:\/\/login\.salesforce\.com\/sso/);
  });

  it('refuses a Frontline app of another realm when the realm is known', () => {
    const other = desiredAppConfig(OTHER_REALM);
    expect(identifyApp(samlApp({ ssoAcsUrl: other.acsUrl, audience: other.audience }), rules).frontline).toBe(
      false,
    );
  });

  it('without a realm, takes any app pointing at a Twilio SAML realm, and still refuses another', () => {
    const other = desiredAppConfig(OTHER_REALM);
    expect(identifyApp(samlApp({ ssoAcsUrl: other.acsUrl }), undefined)).toEqual({
      frontline: true,
      why: 'points-at-twilio',
    });
    expect(identifyApp(samlApp({ ssoAcsUrl: 'https://login.salesforce.com/sso' }), undefined).frontline).toBe(
      false,
    );
  });

  it('refuses a bookmark app, whatever its notes say', () => {
    const bookmark: RawApp = {
      id: '0oa1intranet00000000',
      label: 'Intranet',
      signOnMode: 'BOOKMARK',
      settings: { app: { url: 'https://intranet.example.com' }, notes: { admin: PRODUCT_MARK } },
    };
    expect(identifyApp(bookmark, rules).frontline).toBe(false);
  });
});
