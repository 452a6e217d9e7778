import { desiredAppConfig } from '../../src/domain/app-config';
import { newAppJson } from '../../src/domain/new-app';
import { evaluateExpression, expectedSignIn, type SignInInput } from '../../src/domain/sign-in';
import type { RawApp } from '../../src/domain/okta-app';

const REALM = 'JB0123456789abcdef0123456789abcdef';
const rules = desiredAppConfig(REALM);
const app = (): RawApp => ({ id: '0oa1frontline0000000', status: 'ACTIVE', ...newAppJson(REALM) }) as RawApp;
const signOn = (a: RawApp) => (a.settings as { signOn: Record<string, unknown> }).signOn;

const input = (overrides: Partial<SignInInput> = {}): SignInInput => ({
  app: app(),
  rules,
  user: {
    status: 'ACTIVE',
    profile: { email: 'ana@example.com', userType: 'agent', login: 'ana@example.org' },
  },
  appUser: { userName: 'ana@example.com' },
  ...overrides,
});

describe('Function: expectedSignIn', () => {
  it('gives an assigned agent on a valid app the NameID, email and roles Frontline needs, and no failure', () => {
    const signIn = expectedSignIn(input());
    expect(signIn).toEqual({
      nameId: 'ana@example.com',
      attributes: [
        { name: 'email', value: 'ana@example.com' },
        { name: 'roles', value: 'agent' },
      ],
      fails: [],
    });
  });

  it.each([
    ['an unassigned user', { appUser: null }, /not assigned/],
    [
      'a suspended user',
      { user: { status: 'SUSPENDED', profile: { email: 'a@x.io', userType: 'agent' } } },
      /SUSPENDED/,
    ],
    ['an inactive app', { app: { ...app(), status: 'INACTIVE' } }, /inactive/],
  ])('says Okta refuses %s', (_, overrides, reason) => {
    expect(expectedSignIn(input(overrides as Partial<SignInInput>)).fails).toEqual([
      expect.stringMatching(reason),
    ]);
  });

  it('says Frontline refuses a user whose role is not agent, and one with no email', () => {
    const manager = input({ user: { status: 'ACTIVE', profile: { email: 'm@x.io', userType: 'manager' } } });
    expect(expectedSignIn(manager).fails).toEqual([expect.stringMatching(/"roles" is "manager"/)]);
    const noEmail = input({ user: { status: 'ACTIVE', profile: { userType: 'agent' } } });
    expect(expectedSignIn(noEmail).fails).toEqual([expect.stringMatching(/"email" is empty/)]);
  });

  it('finds each app setting that breaks the sign-in: addresses, encryption, signatures, attribute names', () => {
    const broken = app();
    Object.assign(signOn(broken), {
      destination: 'https://elsewhere.example/acs',
      recipientOverride: 'https://proxy.example/acs',
      audience: 'https://wrong.example',
      assertionEncryption: { enabled: true },
      responseSigned: false,
      assertionSigned: false,
      attributeStatements: [
        { name: 'Email', values: ['user.email'] },
        { name: 'roles', values: ['Groups.startsWith("OKTA", "Frontline", 10)'] },
      ],
    });
    const fails = expectedSignIn(input({ app: broken })).fails;
    expect(fails).toEqual([
      expect.stringMatching(/encrypted/),
      expect.stringMatching(/neither the response nor the assertion is signed/),
      expect.stringMatching(/Destination is https:\/\/elsewhere\.example\/acs/),
      expect.stringMatching(/Recipient is https:\/\/proxy\.example\/acs/),
      expect.stringMatching(/Audience is https:\/\/wrong\.example/),
      expect.stringMatching(/named "Email".*exactly "email"/),
      expect.stringMatching(/"roles": the expression .* is beyond/),
    ]);
  });

  it('checks no address without the realm’s rules', () => {
    const elsewhere = app();
    signOn(elsewhere).destination = 'https://elsewhere.example/acs';
    expect(expectedSignIn(input({ app: elsewhere, rules: undefined })).fails).toEqual([]);
  });
});

describe('Function: evaluateExpression', () => {
  const profile = { email: 'Ana.Lee@Example.com', userType: 'agent' };
  it.each([
    ['user.email', 'Ana.Lee@Example.com'],
    ['"agent"', 'agent'],
    ["'agent'", 'agent'],
    ['String.toLowerCase(user.email)', 'ana.lee@example.com'],
    ['String.toUpperCase(user.userType)', 'AGENT'],
    ['String.substringBefore(user.email, "@")', 'Ana.Lee'],
    ['String.substringAfter(user.email, "@")', 'Example.com'],
    ['String.substringAfter(user.email, "#")', ''],
    ['String.toLowerCase(String.substringBefore(user.email, "@"))', 'ana.lee'],
    ['user.missing', ''],
  ])('evaluates %s', (expression, value) => {
    expect(evaluateExpression(expression, profile)).toEqual({ value });
  });

  it.each([
    'user.email + "x"',
    'String.len(user.email)',
    'String.toLowerCase()',
    'String.substringBefore(user.email)',
  ])('says %s is beyond it instead of guessing', (expression) => {
    expect(evaluateExpression(expression, profile)).toEqual({ problem: expect.any(String) });
  });
});
