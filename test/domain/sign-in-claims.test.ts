import { desiredAppConfig } from '../../src/domain/app-config';
import type { FederatedClaim } from '../../src/domain/federated-claims';
import { newAppJson } from '../../src/domain/new-app';
import type { RawApp } from '../../src/domain/okta-app';
import { expectedSignIn, type SignInInput } from '../../src/domain/sign-in';

/*
 * expectedSignIn (what `explain` shows) reads the federated claims beside the legacy statements, and the CASB
 * override of the ACS URL, the way the Okta emulator builds the assertion and Frontline's emulator reads it.
 */

const REALM = 'JB0123456789abcdef0123456789abcdef';
const rules = desiredAppConfig(REALM);
const CASB = 'https://casb.example.net/saml';

function app(patch: Record<string, unknown> = {}): RawApp {
  const a = { id: '0oa1frontline0000000', status: 'ACTIVE', ...newAppJson(REALM) } as RawApp;
  Object.assign((a.settings as { signOn: Record<string, unknown> }).signOn, patch);
  return a;
}
const claim = (id: string, name: string, expression: string): FederatedClaim => ({ id, name, expression });

const input = (overrides: Partial<SignInInput> = {}): SignInInput => ({
  app: app(),
  rules,
  user: { status: 'ACTIVE', profile: { email: 'ana@example.com', userType: 'agent', title: 'Lead' } },
  appUser: { userName: 'ana@example.com' },
  ...overrides,
});

describe('Function: expectedSignIn with federated claims and CASB overrides', () => {
  it('takes email and roles from the claims when the legacy statements are gone, naming each claim', () => {
    const signIn = expectedSignIn(
      input({
        app: app({ attributeStatements: [] }),
        claims: [claim('ofc1', 'email', 'user.profile.email'), claim('ofc2', 'roles', '"agent"')],
      }),
    );
    expect(signIn).toEqual({
      nameId: 'ana@example.com',
      attributes: [
        { name: 'email', value: 'ana@example.com', claimId: 'ofc1' },
        { name: 'roles', value: 'agent', claimId: 'ofc2' },
      ],
      fails: [],
    });
  });

  it('fails a sign-in whose roles claim sends another role beside the legacy statement', () => {
    const signIn = expectedSignIn(input({ claims: [claim('ofc1', 'roles', 'user.profile.title')] }));
    expect(signIn.attributes.filter((a) => a.name === 'roles')).toEqual([
      { name: 'roles', value: 'agent' },
      { name: 'roles', value: 'Lead', claimId: 'ofc1' },
    ]);
    expect(signIn.fails).toEqual([expect.stringMatching(/"roles" is "Lead"/)]);
  });

  it('says a claim in the legacy dialect is not a profile attribute, and one it cannot read is beyond it', () => {
    const legacy = expectedSignIn(
      input({ app: app({ attributeStatements: [] }), claims: [claim('ofc1', 'email', 'user.email')] }),
    );
    expect(legacy.fails).toEqual([
      expect.stringMatching(/^"email" \(federated claim ofc1\): user\.email is not a profile attribute/),
      'no "roles" attribute: Frontline needs it',
    ]);
    const unknown = expectedSignIn(
      input({ claims: [claim('ofc2', 'roles', 'user.profile.title.toLowerCase()')] }),
    );
    expect(unknown.fails).toEqual([expect.stringMatching(/^"roles" \(federated claim ofc2\): .* is beyond/)]);
  });

  it('takes an empty claim as no value, and a right legacy statement still signs the agent in', () => {
    const signIn = expectedSignIn(input({ claims: [claim('ofc1', 'email', 'user.profile.secondEmail')] }));
    expect(signIn.fails).toEqual([]);
    const alone = expectedSignIn(
      input({
        app: app({ attributeStatements: [] }),
        claims: [claim('ofc1', 'email', 'user.profile.secondEmail')],
      }),
    );
    expect(alone.fails).toEqual([
      '"email" is empty for this user',
      'no "roles" attribute: Frontline needs it',
    ]);
  });

  it('says where the form posts when ssoAcsUrlOverride sends it to a CASB proxy, and accepts Frontline’s own ACS URL', () => {
    expect(expectedSignIn(input({ app: app({ ssoAcsUrlOverride: `${CASB}/acs` }) })).fails).toEqual([
      `Okta's form posts the Response to ${CASB}/acs, not ${rules.acsUrl}`,
    ]);
    expect(expectedSignIn(input({ app: app({ ssoAcsUrlOverride: rules.acsUrl }) })).fails).toEqual([]);
  });

  it('reads the audience and destination overrides (check reports them; explain agrees)', () => {
    const fails = expectedSignIn(
      input({ app: app({ audienceOverride: `${CASB}/metadata`, destinationOverride: `${CASB}/acs` }) }),
    ).fails;
    expect(fails).toEqual([
      expect.stringMatching(/Destination is https:\/\/casb\.example\.net\/saml\/acs/),
      expect.stringMatching(/Audience is https:\/\/casb\.example\.net\/saml\/metadata/),
    ]);
  });
});
