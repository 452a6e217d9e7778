import {
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
  type SignatureRequirements,
} from '../../../emulator/frontline';
import { IDP_ISSUER, IDP_SSO_URL, REALM, makeKey, samlResponse, type TestKey } from './saml-fixtures';

/*
 * Which signatures the assertion consumer demands, per configuration. By default both, as Twilio's guides set the
 * IdP app (Response and Assertion signed) and its SSO troubleshooting page requires the Response signed.
 */
describe('Frontline emulator: signatures the assertion consumer requires', () => {
  let key: TestKey;
  let stranger: TestKey;
  const running: RunningFrontlineEmulator[] = [];
  beforeAll(async () => {
    [key, stranger] = await Promise.all([makeKey('idp'), makeKey('stranger')]);
  });
  afterAll(() => Promise.all(running.map((e) => e.stop())));

  const consumer = async (samlSignatures?: Partial<SignatureRequirements>) => {
    const emulator = await startFrontlineEmulator({
      sso: { [REALM]: { issuer: IDP_ISSUER, ssoUrl: IDP_SSO_URL, certificate: key.certPem } },
      ...(samlSignatures ? { samlSignatures } : {}),
    });
    running.push(emulator);
    return emulator.control;
  };

  describe('by default (both required)', () => {
    it('refuses an unsigned Response whose Assertion is signed', async () => {
      const control = await consumer();
      const result = await control.consume(REALM, await samlResponse({ key, signResponse: false }));
      expect(result).toEqual({
        ok: false,
        status: 403,
        body: {
          code: 'response_not_signed',
          reason: 'the SAML Response is not signed; Frontline requires the Response signed',
        },
      });
    });

    it('refuses a signed Response whose Assertion is not signed', async () => {
      const control = await consumer();
      const result = await control.consume(REALM, await samlResponse({ key, signAssertion: false }));
      expect(result).toEqual({
        ok: false,
        status: 403,
        body: {
          code: 'assertion_not_signed',
          reason: 'the Assertion is not signed; Frontline requires the Assertion signed',
        },
      });
    });
  });

  describe('with only the Response required', () => {
    it('accepts a signed Response around an unsigned Assertion', async () => {
      const control = await consumer({ assertion: false });
      const result = await control.consume(REALM, await samlResponse({ key, signAssertion: false }));
      expect(result).toMatchObject({ ok: true, body: { user: { identity: 'ana@example.com' } } });
    });

    it('still refuses an unsigned Response', async () => {
      const control = await consumer({ assertion: false });
      const result = await control.consume(REALM, await samlResponse({ key, signResponse: false }));
      expect(result.body).toMatchObject({ code: 'response_not_signed' });
    });
  });

  describe('with only the Assertion required', () => {
    it('accepts an unsigned Response around a signed Assertion', async () => {
      const control = await consumer({ response: false });
      const result = await control.consume(REALM, await samlResponse({ key, signResponse: false }));
      expect(result).toMatchObject({ ok: true });
    });

    it('still refuses an Assertion signed with another certificate', async () => {
      const control = await consumer({ response: false });
      const result = await control.consume(
        REALM,
        await samlResponse({ key, signResponse: false, signAssertion: stranger }),
      );
      expect(result.body).toMatchObject({ code: 'assertion_signature_invalid' });
    });
  });

  it('refuses a Response with no signature at all even when neither is required', async () => {
    const control = await consumer({ response: false, assertion: false });
    const result = await control.consume(
      REALM,
      await samlResponse({ key, signResponse: false, signAssertion: false }),
    );
    expect(result.body).toEqual({
      code: 'assertion_not_signed',
      reason: 'neither the Response nor the Assertion is signed: one of them must be',
    });
  });
});
