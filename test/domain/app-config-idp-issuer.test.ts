import {
  DEFAULT_IDP_ISSUER,
  checkAppConfig,
  desiredAppConfig,
  idpIssuerOf,
  withRecordedIdpIssuer,
} from '../../src/domain/app-config';
import { planRepair } from '../../src/domain/app-repair';
import { newAppJson } from '../../src/domain/new-app';
import { SID, validRawApp } from '../app-guard/fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rules = desiredAppConfig(SID);

function withIssuer(value: unknown): Json {
  const app = validRawApp() as Json;
  if (value === undefined) delete app.settings.signOn.idpIssuer;
  else app.settings.signOn.idpIssuer = value;
  return app;
}

describe('Function: checkAppConfig, the IdP issuer', () => {
  it("accepts Okta's default issuer, and a blank or absent one (no override)", () => {
    for (const value of [DEFAULT_IDP_ISSUER, null, '', undefined])
      expect(checkAppConfig(withIssuer(value), rules)).toEqual([]);
  });

  it.each(['urn:example:okta:frontline', 'https://www.okta.com/${org.externalKey}'])(
    'reports %s as risky (it breaks the sign-in unless pasted into Frontline too), never as repairable',
    (issuer) => {
      expect(checkAppConfig(withIssuer(issuer), rules)).toEqual([
        expect.objectContaining({
          path: 'settings.signOn.idpIssuer',
          expected: DEFAULT_IDP_ISSUER,
          actual: issuer,
          severity: 'risky',
          repairable: false,
        }),
      ]);
    },
  );
});

describe('Function: checkAppConfig, the IdP issuer on record', () => {
  const OVERRIDE = 'urn:example:okta:frontline';

  it('accepts the recorded override, the issuer Frontline’s console holds', () => {
    expect(checkAppConfig(withIssuer(OVERRIDE), withRecordedIdpIssuer(rules, OVERRIDE))).toEqual([]);
  });

  it('accepts a blank or absent issuer when the default is on record', () => {
    const recorded = withRecordedIdpIssuer(rules, DEFAULT_IDP_ISSUER);
    for (const value of [DEFAULT_IDP_ISSUER, null, '', undefined])
      expect(checkAppConfig(withIssuer(value), recorded)).toEqual([]);
  });

  it.each([
    ['an override, the default on record', OVERRIDE, DEFAULT_IDP_ISSUER],
    ["Okta's default, an override on record", DEFAULT_IDP_ISSUER, OVERRIDE],
    ['a blank one, an override on record', '', OVERRIDE],
    ['another override, an override on record', 'urn:example:other', OVERRIDE],
  ])('reports %s as breaks-sso, repairable to the recorded issuer', (_what, issuer, recorded) => {
    const [finding, ...rest] = checkAppConfig(withIssuer(issuer), withRecordedIdpIssuer(rules, recorded));

    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      path: 'settings.signOn.idpIssuer',
      expected: recorded,
      actual: issuer,
      severity: 'breaks-sso',
      repairable: true,
    });
    expect(finding?.message).toContain(`Frontline's console holds the IdP issuer ${recorded}`);
  });

  it('keeps the report-only rule when nothing is on record', () => {
    expect(withRecordedIdpIssuer(rules, undefined)).toBe(rules);
    expect(checkAppConfig(withIssuer(OVERRIDE), withRecordedIdpIssuer(rules, undefined))).toEqual([
      expect.objectContaining({ severity: 'risky', repairable: false, expected: DEFAULT_IDP_ISSUER }),
    ]);
  });
});

describe('Function: idpIssuerOf', () => {
  it("reads the raw setting as it stands, a blank or absent one as Okta's default", () => {
    expect(idpIssuerOf(withIssuer('urn:example:okta:frontline'))).toBe('urn:example:okta:frontline');
    expect(idpIssuerOf(withIssuer('https://www.okta.com/${org.externalKey}'))).toBe(
      'https://www.okta.com/${org.externalKey}',
    );
    for (const value of [null, '', undefined])
      expect(idpIssuerOf(withIssuer(value))).toBe(DEFAULT_IDP_ISSUER);
  });
});

describe('Function: planRepair, the IdP issuer', () => {
  it('puts the recorded issuer back, never the default unless that is what is recorded', () => {
    const recorded = withRecordedIdpIssuer(rules, 'urn:example:okta:frontline');
    const app = withIssuer(DEFAULT_IDP_ISSUER);
    const repaired = planRepair(app, checkAppConfig(app, recorded)) as Json;

    expect(repaired.settings.signOn.idpIssuer).toBe('urn:example:okta:frontline');
    expect(checkAppConfig(repaired, recorded)).toEqual([]);
  });

  it('leaves an overridden issuer as it is (the console may hold it) while repairing the rest', () => {
    const app = withIssuer('urn:example:okta:frontline');
    app.settings.signOn.responseSigned = false;
    const repaired = planRepair(app, checkAppConfig(app, rules)) as Json;

    expect(repaired.settings.signOn.idpIssuer).toBe('urn:example:okta:frontline');
    expect(repaired.settings.signOn.responseSigned).toBe(true);
    expect(checkAppConfig(repaired, rules).map((f) => f.path)).toEqual(['settings.signOn.idpIssuer']);
  });
});

describe('Function: newAppJson, the IdP issuer', () => {
  it("creates the app with Okta's default issuer, the one check holds it to", () => {
    const app = newAppJson(SID) as Json;
    expect(app.settings.signOn.idpIssuer).toBe('http://www.okta.com/${org.externalKey}');
    expect(checkAppConfig({ ...app, status: 'ACTIVE' }, rules)).toEqual([]);
  });
});
