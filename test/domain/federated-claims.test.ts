import { checkAppConfig, desiredAppConfig } from '../../src/domain/app-config';
import { planRepair } from '../../src/domain/app-repair';
import {
  checkAppRules,
  claimFindings,
  claimIsValid,
  planClaimRepair,
  type FederatedClaim,
} from '../../src/domain/federated-claims';
import { SID, validRawApp } from '../app-guard/fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rules = desiredAppConfig(SID);
const ACS = `https://iam.twilio.com/v2/saml2/authenticate/${SID}`;

function app(mutate: (a: Json) => void = () => undefined): Json {
  const a = validRawApp() as Json;
  mutate(a);
  return a;
}
const withoutStatement = (name: string) => (a: Json) =>
  (a.settings.signOn.attributeStatements = a.settings.signOn.attributeStatements.filter(
    (s: Json) => s.name !== name,
  ));
const claim = (id: string, name: string, expression: string): FederatedClaim => ({ id, name, expression });

describe('Function: claimIsValid', () => {
  it.each([
    ['email', 'user.profile.email', true],
    ['email', ' user.profile.email ', true],
    ['email', 'user.email', false],
    ['email', 'user.profile.login', false],
    ['roles', 'user.profile.userType', true],
    ['roles', '"agent"', true],
    ['roles', "'agent'", true],
    ['roles', 'agent', false],
    ['roles', 'user.userType', false],
    ['roles', '"supervisor"', false],
    ['department', 'anything at all', true],
  ])('judges the %s claim %s valid: %s', (name, expression, valid) => {
    expect(claimIsValid({ name, expression })).toBe(valid);
  });
});

describe('Function: checkAppRules', () => {
  it('finds nothing when the claims, not the legacy statements, supply email and roles', () => {
    const a = app((x) => (x.settings.signOn.attributeStatements = []));
    const claims = [claim('ofc1', 'email', 'user.profile.email'), claim('ofc2', 'roles', '"agent"')];
    expect(checkAppRules(a, rules, claims)).toEqual([]);
    // Without the claims the same app misses both statements.
    expect(checkAppRules(a, rules, []).map((f) => f.path)).toEqual([
      'settings.signOn.attributeStatements[email]',
      'settings.signOn.attributeStatements[roles]',
    ]);
  });

  it('reports a wrong roles claim as breaking sign-in, with the expression Frontline needs', () => {
    const wrong = claim('ofc1', 'roles', 'user.profile.title');
    expect(checkAppRules(app(withoutStatement('roles')), rules, [wrong])).toEqual([
      {
        path: 'federatedClaims[roles]',
        expected: { name: 'roles', expression: 'user.profile.userType' },
        actual: wrong,
        severity: 'breaks-sso',
        message: expect.stringMatching(/"roles" is user\.profile\.title; Frontline needs the role agent/),
        repairable: true,
      },
    ]);
  });

  it('reports an email claim in the legacy dialect (user.email), which Identity Engine does not read as the profile', () => {
    const findings = checkAppRules(app(withoutStatement('email')), rules, [
      claim('ofc1', 'email', 'user.email'),
    ]);
    expect(findings).toEqual([
      expect.objectContaining({
        path: 'federatedClaims[email]',
        expected: { name: 'email', expression: 'user.profile.email' },
        message: expect.stringMatching(/user\.profile\.<attribute>/),
      }),
    ]);
  });

  it('accepts the constant "agent" for roles in either store', () => {
    for (const value of ['"agent"', "'agent'", 'agent']) {
      const a = app((x) => (x.settings.signOn.attributeStatements[1].values = [value]));
      expect(checkAppRules(a, rules, [])).toEqual([]);
    }
    expect(checkAppRules(app(withoutStatement('roles')), rules, [claim('ofc1', 'roles', '"agent"')])).toEqual(
      [],
    );
  });

  it('still reports a roles statement whose constant is not "agent", or that sends more than the constant', () => {
    for (const values of [['"supervisor"'], ['"agent"', '"admin"']]) {
      const a = app((x) => (x.settings.signOn.attributeStatements[1].values = values));
      expect(checkAppRules(a, rules, []).map((f) => f.path)).toEqual([
        'settings.signOn.attributeStatements[roles]',
      ]);
    }
  });

  it('reports a name in both stores as a duplicate that says what Okta leaves undocumented and what repair keeps', () => {
    const findings = checkAppRules(app(), rules, [claim('ofc1', 'roles', '"agent"')]);
    expect(findings).toEqual([
      {
        path: 'duplicateClaims[roles]',
        expected: { keep: 'the legacy attribute statement "roles"', remove: ['ofc1'] },
        actual: { attributeStatements: 1, federatedClaims: ['ofc1'] },
        severity: 'risky',
        message: expect.stringMatching(
          /legacy attribute statement and as a federated claim: Okta does not document which one it sends.*--remove-duplicate-claims` deletes ofc1 and keeps the legacy attribute statement "roles"/,
        ),
        repairable: true,
      },
    ]);
  });

  it('keeps the first right claim of several with no legacy statement', () => {
    const claims = [
      claim('ofc1', 'email', 'user.profile.login'),
      claim('ofc2', 'email', 'user.profile.email'),
      claim('ofc3', 'email', 'user.profile.email'),
    ];
    const findings = claimFindings(app(withoutStatement('email')), claims);
    expect(findings.map((f) => [f.path, f.expected])).toEqual([
      ['federatedClaims[email]', { name: 'email', expression: 'user.profile.email' }],
      ['duplicateClaims[email]', { keep: 'the federated claim ofc2', remove: ['ofc1', 'ofc3'] }],
    ]);
  });

  it('ignores claims of other names, and claims whose names differ in case', () => {
    const claims = [claim('ofc1', 'department', 'user.profile.department'), claim('ofc2', 'Roles', '"x"')];
    expect(checkAppRules(app(), rules, claims)).toEqual([]);
  });
});

describe('Function: checkAppConfig with the CASB overrides', () => {
  it('accepts each override left empty or set to Frontline’s own value', () => {
    for (const value of [null, '', undefined]) {
      const a = app((x) =>
        Object.assign(x.settings.signOn, {
          ssoAcsUrlOverride: value,
          recipientOverride: value,
          destinationOverride: value,
          audienceOverride: value,
        }),
      );
      expect(checkAppConfig(a, rules)).toEqual([]);
    }
    const own = app((x) =>
      Object.assign(x.settings.signOn, {
        ssoAcsUrlOverride: ACS,
        recipientOverride: ACS,
        destinationOverride: ACS,
        audienceOverride: rules.audience,
      }),
    );
    expect(checkAppConfig(own, rules)).toEqual([]);
  });

  it('reports an audience override set to the ACS URL: each override must be its own address', () => {
    const a = app((x) => (x.settings.signOn.audienceOverride = ACS));
    expect(checkAppConfig(a, rules)).toEqual([
      expect.objectContaining({
        path: 'settings.signOn.audienceOverride',
        expected: null,
        actual: ACS,
        severity: 'breaks-sso',
        message: expect.stringMatching(/CASB override audienceOverride replaces the Audience/),
      }),
    ]);
  });
});

describe('Function: planClaimRepair', () => {
  const claims = [claim('ofc1', 'roles', 'user.profile.title'), claim('ofc2', 'department', 'x')];
  const a = app(withoutStatement('roles'));

  it('rewrites a wrong claim with the expression Frontline needs, keeping its id and name', () => {
    const plan = planClaimRepair(claims, checkAppRules(a, rules, claims));
    expect(plan).toEqual({ replace: [claim('ofc1', 'roles', 'user.profile.userType')], remove: [] });
  });

  it('removes duplicates only when asked, and does not rewrite a claim it deletes', () => {
    const dup = [claim('ofc1', 'roles', '"supervisor"')];
    const findings = checkAppRules(app(), rules, dup);
    expect(findings.map((f) => f.path)).toEqual(['federatedClaims[roles]', 'duplicateClaims[roles]']);
    expect(planClaimRepair(dup, findings)).toEqual({
      replace: [claim('ofc1', 'roles', 'user.profile.userType')],
      remove: [],
    });
    expect(planClaimRepair(dup, findings, { removeDuplicates: true })).toEqual({ replace: [], remove: dup });
  });

  it('leaves the app object alone for claim findings (planRepair skips them)', () => {
    const dup = [claim('ofc1', 'roles', '"supervisor"')];
    const base = app();
    expect(planRepair(base, checkAppRules(base, rules, dup))).toEqual(base);
  });

  it('plans nothing for valid claims', () => {
    const valid = [claim('ofc1', 'roles', '"agent"')];
    expect(planClaimRepair(valid, checkAppRules(a, rules, valid), { removeDuplicates: true })).toEqual({
      replace: [],
      remove: [],
    });
  });
});
