import { DEFAULT_IDP_ISSUER, checkAppConfig, desiredAppConfig } from '../../src/domain/app-config';
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

describe('Function: planRepair, the IdP issuer', () => {
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
