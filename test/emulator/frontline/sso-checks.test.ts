import {
  acsUrlFor,
  audienceFor,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
  type SsoFailureCode,
} from '../../../emulator/frontline';
import {
  IDP_ISSUER,
  IDP_SSO_URL,
  REALM,
  makeKey,
  samlResponse,
  type ResponseSpec,
  type TestKey,
} from './saml-fixtures';

const ACS = acsUrlFor(REALM);
const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const withAttributes = (...attributes: { name: string; values: string[] }[]) => ({ attributes });

/*
 * One refusal per check Frontline's assertion consumer makes, each on an otherwise valid Response signed by the
 * IdP key whose certificate is pasted in the console. Every one answers 403 with its code and creates no user.
 */
describe('Frontline emulator: what the assertion consumer refuses', () => {
  let emulator: RunningFrontlineEmulator;
  let key: TestKey;
  let stranger: TestKey;
  beforeAll(async () => {
    [key, stranger] = await Promise.all([makeKey('idp'), makeKey('stranger')]);
    emulator = await startFrontlineEmulator({
      sso: { [REALM]: { issuer: IDP_ISSUER, ssoUrl: IDP_SSO_URL, certificate: key.certPem } },
    });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.control.reset());

  const cases: [string, () => Omit<ResponseSpec, 'key'> & { key?: TestKey }, SsoFailureCode, string][] = [
    [
      'a Response signed with another certificate',
      () => ({ key: stranger }),
      'response_signature_invalid',
      "the Response's signature does not verify against the X.509 certificate pasted in the console",
    ],
    [
      'an Assertion signed with another certificate',
      () => ({ signAssertion: stranger }),
      'assertion_signature_invalid',
      "the Assertion's signature does not verify against the X.509 certificate pasted in the console",
    ],
    [
      'another issuer',
      () => ({ issuer: 'http://www.okta.com/exk-someone-else' }),
      'issuer_mismatch',
      `the issuer is "http://www.okta.com/exk-someone-else", not the Identity Provider Issuer pasted in the console ("${IDP_ISSUER}")`,
    ],
    [
      'another issuer on the Response only',
      () => ({ responseIssuer: 'http://www.okta.com/exk-someone-else' }),
      'issuer_mismatch',
      'the issuer is "http://www.okta.com/exk-someone-else"',
    ],
    [
      'another audience',
      () => ({ audience: 'https://iam.twilio.com/v2/saml2/metadata/JBffffffffffffffffffffffffffffffff' }),
      'audience_mismatch',
      `the Assertion's Audience is "https://iam.twilio.com/v2/saml2/metadata/JBffffffffffffffffffffffffffffffff", not the realm's entity ID ${audienceFor(REALM)}`,
    ],
    [
      'an expired assertion',
      () => ({ notBefore: minutes(-10), notOnOrAfter: minutes(-5) }),
      'assertion_expired',
      'the Assertion has expired: its Conditions NotOnOrAfter has passed',
    ],
    [
      'an assertion not valid yet',
      () => ({ notBefore: minutes(5), notOnOrAfter: minutes(10) }),
      'assertion_not_yet_valid',
      'the Assertion is not valid yet: its Conditions NotBefore is ahead',
    ],
    [
      'a bearer confirmation past its NotOnOrAfter',
      () => ({ subjectNotOnOrAfter: minutes(-1) }),
      'subject_confirmation_expired',
      'the bearer SubjectConfirmationData has no NotOnOrAfter in the future',
    ],
    [
      "a Destination that is not the realm's SSO URL",
      () => ({
        destination: 'https://iam.twilio.com/v2/saml2/authenticate/JBffffffffffffffffffffffffffffffff',
      }),
      'destination_mismatch',
      `the Response's Destination is "https://iam.twilio.com/v2/saml2/authenticate/JBffffffffffffffffffffffffffffffff", not the realm's SSO URL ${ACS}`,
    ],
    [
      'no Destination',
      () => ({ destination: null }),
      'destination_mismatch',
      `the Response's Destination is "(none)", not the realm's SSO URL ${ACS}`,
    ],
    [
      "a Recipient that is not the realm's SSO URL",
      () => ({ recipient: 'https://casb.example.com/acs' }),
      'recipient_mismatch',
      `the SubjectConfirmationData Recipient is https://casb.example.com/acs, not the realm's SSO URL ${ACS}`,
    ],
    [
      'an EncryptedAssertion',
      () => ({ encryptFor: stranger }),
      'encrypted_assertion',
      'the Response carries an EncryptedAssertion; Frontline reads plain assertions only',
    ],
    [
      'Email instead of email',
      () =>
        withAttributes({ name: 'Email', values: ['ana@example.com'] }, { name: 'roles', values: ['agent'] }),
      70252,
      'the attribute is named "Email", not "email": Frontline reads the names email and roles exactly, in lower case',
    ],
    [
      'Roles instead of roles',
      () =>
        withAttributes({ name: 'email', values: ['ana@example.com'] }, { name: 'Roles', values: ['agent'] }),
      70252,
      'the attribute is named "Roles", not "roles"',
    ],
    [
      'no roles attribute',
      () => withAttributes({ name: 'email', values: ['ana@example.com'] }),
      70002,
      'the assertion has no roles value: Frontline signs in only users whose roles attribute is agent',
    ],
    [
      'an empty roles value (userType unset in Okta)',
      () => withAttributes({ name: 'email', values: ['ana@example.com'] }, { name: 'roles', values: [''] }),
      70002,
      'the assertion has no roles value',
    ],
    [
      'roles = supervisor',
      () =>
        withAttributes(
          { name: 'email', values: ['ana@example.com'] },
          { name: 'roles', values: ['supervisor'] },
        ),
      70002,
      'roles is "supervisor": Frontline knows only the role agent',
    ],
    [
      'roles = Agent (another case)',
      () =>
        withAttributes({ name: 'email', values: ['ana@example.com'] }, { name: 'roles', values: ['Agent'] }),
      70002,
      'roles is "Agent": Frontline knows only the role agent',
    ],
    [
      'no email attribute',
      () => withAttributes({ name: 'roles', values: ['agent'] }),
      'email_missing',
      'the assertion has no email attribute value',
    ],
    [
      'an empty NameID',
      () => ({
        nameId: '',
        attributes: [
          { name: 'email', values: ['a@example.com'] },
          { name: 'roles', values: ['agent'] },
        ],
      }),
      'name_id_missing',
      'the Assertion has no Subject NameID',
    ],
  ];

  it.each(cases)('refuses %s', async (_what, bend, code, reason) => {
    const { key: signer, ...rest } = bend();
    const result = await emulator.control.consume(REALM, await samlResponse({ key: signer ?? key, ...rest }));
    expect(result.ok).toBe(false);
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ code });
    expect((result.body as { reason: string }).reason).toContain(reason);
    expect(emulator.control.users()).toEqual([]);
  });

  it('accepts the same Response unbent, so each refusal above is its check alone', async () => {
    const result = await emulator.control.consume(REALM, await samlResponse({ key }));
    expect(result).toMatchObject({ ok: true, status: 200, body: { created: true } });
  });
});
