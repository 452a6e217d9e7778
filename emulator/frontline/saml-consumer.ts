import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { SamlSignInError } from './errors';
import { frontlineAttributes } from './saml-attributes';
import type { SsoConfigView } from './sso-config';
import type { SignatureRequirements } from './types';
import { parseXml, readAssertion, readEnvelope } from './saml-xml';

export interface ConsumerOptions {
  signatures: SignatureRequirements;
  /** Twilio documents no clock-skew tolerance. @default 0 */
  clockSkewMs: number;
}

/** A Response Frontline accepts: who signs in, and with what. */
export interface AcceptedAssertion {
  issuer: string;
  nameId: string;
  nameIdFormat: string | undefined;
  email: string;
  roles: string[];
  /** From the profile attributes when sent (see saml-attributes.ts), else the NameID. */
  friendlyName: string;
}

const refuse = (code: ConstructorParameters<typeof SamlSignInError>[1], reason: string) =>
  new SamlSignInError(403, code, reason);

/**
 * Validates a posted `SAMLResponse` (base64) for one realm as Frontline's service provider would: signatures,
 * time window and audience through @node-saml/node-saml against the pasted certificate only, then what that library
 * does not check (5.1.0 checks no Response or Assertion Issuer, no Destination, no Recipient, and the bearer
 * confirmation's NotOnOrAfter only when it validates InResponseTo, which IdP-initiated sign-in has none of).
 */
export async function validateSamlResponse(
  config: SsoConfigView,
  samlResponse: string,
  options: ConsumerOptions,
): Promise<AcceptedAssertion> {
  const compact = samlResponse.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new SamlSignInError(
      400,
      'malformed_request',
      'SAMLResponse must be a base64-encoded SAML Response',
    );
  }
  const envelope = readEnvelope(parseXml(Buffer.from(compact, 'base64').toString('utf8')));

  // Checked before the library, which would only say it lacks a decryption key.
  if (envelope.encrypted) {
    throw refuse(
      'encrypted_assertion',
      'the Response carries an EncryptedAssertion; Frontline reads plain assertions only, so assertion encryption ' +
        'must be off in the IdP app (Twilio: "This can most likely happen if you are sending encrypted SAML responses")',
    );
  }
  if (options.signatures.response && !envelope.signed) {
    throw refuse(
      'response_not_signed',
      'the SAML Response is not signed; Frontline requires the Response signed',
    );
  }
  if (options.signatures.assertion && envelope.assertionSigned === false) {
    throw refuse(
      'assertion_not_signed',
      'the Assertion is not signed; Frontline requires the Assertion signed',
    );
  }
  if (!envelope.signed && envelope.assertionSigned === false) {
    throw refuse(
      'assertion_not_signed',
      'neither the Response nor the Assertion is signed: one of them must be',
    );
  }

  const saml = new SAML({
    callbackUrl: config.acsUrl,
    issuer: config.audience,
    audience: config.audience,
    idpCert: config.certificate,
    wantAuthnResponseSigned: options.signatures.response,
    wantAssertionsSigned: options.signatures.assertion,
    acceptedClockSkewMs: options.clockSkewMs,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  let assertionXml: string;
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: compact });
    const xml = profile?.getAssertionXml?.();
    if (xml === undefined) throw new Error('no assertion in the Response');
    assertionXml = xml;
  } catch (err) {
    throw libraryRefusal(err, config);
  }

  const facts = readAssertion(assertionXml);
  if (
    facts.issuer !== config.issuer ||
    (envelope.issuer !== undefined && envelope.issuer !== config.issuer)
  ) {
    const got = facts.issuer !== config.issuer ? facts.issuer : envelope.issuer;
    throw refuse(
      'issuer_mismatch',
      `the issuer is "${got ?? '(none)'}", not the Identity Provider Issuer pasted in the console ("${config.issuer}")`,
    );
  }
  if (envelope.destination !== config.acsUrl) {
    throw refuse(
      'destination_mismatch',
      `the Response's Destination is "${envelope.destination ?? '(none)'}", not the realm's SSO URL ${config.acsUrl}`,
    );
  }
  checkBearer(facts.bearer, config.acsUrl, options.clockSkewMs);
  if (!facts.nameId) {
    throw refuse(
      'name_id_missing',
      'the Assertion has no Subject NameID: Frontline takes the user identity from it',
    );
  }
  const { email, roles, friendlyName } = frontlineAttributes(facts.attributes);
  return {
    issuer: config.issuer,
    nameId: facts.nameId,
    nameIdFormat: facts.nameIdFormat,
    email,
    roles,
    friendlyName: friendlyName ?? facts.nameId,
  };
}

/**
 * The bearer SubjectConfirmationData must name the ACS URL as Recipient and still be within NotOnOrAfter (SAML
 * profiles 2.0 §4.1.4.2-3: a bearer confirmation carries both, and the SP checks both).
 */
function checkBearer(
  bearer: { recipient: string | null; notOnOrAfter: string | null }[],
  acsUrl: string,
  skewMs: number,
): void {
  const forUs = bearer.filter((b) => b.recipient === acsUrl);
  if (forUs.length === 0) {
    const seen = bearer.map((b) => b.recipient ?? '(none)').join(', ') || '(no bearer SubjectConfirmation)';
    throw refuse(
      'recipient_mismatch',
      `the SubjectConfirmationData Recipient is ${seen}, not the realm's SSO URL ${acsUrl}`,
    );
  }
  const now = Date.now();
  const live = forUs.some((b) => b.notOnOrAfter !== null && now - skewMs < Date.parse(b.notOnOrAfter));
  if (!live) {
    throw refuse(
      'subject_confirmation_expired',
      'the bearer SubjectConfirmationData has no NotOnOrAfter in the future: the assertion can no longer be used',
    );
  }
}

/** Maps @node-saml/node-saml 5.1.0's error messages (lib/saml.js) to the check that failed. */
function libraryRefusal(err: unknown, config: SsoConfigView): SamlSignInError {
  const message = err instanceof Error ? err.message : String(err);
  if (message === 'Invalid document signature') {
    return refuse(
      'response_signature_invalid',
      "the Response's signature does not verify against the X.509 certificate pasted in the console",
    );
  }
  if (message === 'Invalid signature' || message === 'Invalid signature from encrypted assertion') {
    return refuse(
      'assertion_signature_invalid',
      "the Assertion's signature does not verify against the X.509 certificate pasted in the console",
    );
  }
  if (message.startsWith('SAML assertion expired')) {
    return refuse('assertion_expired', 'the Assertion has expired: its Conditions NotOnOrAfter has passed');
  }
  if (message === 'SAML assertion not yet valid') {
    return refuse(
      'assertion_not_yet_valid',
      'the Assertion is not valid yet: its Conditions NotBefore is ahead',
    );
  }
  if (message.startsWith('SAML assertion audience mismatch') || /AudienceRestriction/.test(message)) {
    const received = /Received: (.*)$/.exec(message)?.[1];
    return refuse(
      'audience_mismatch',
      `the Assertion's Audience is ${received === undefined ? 'missing' : `"${received}"`}, not the realm's ` +
        `entity ID ${config.audience}`,
    );
  }
  return refuse('saml_invalid', `the SAML library refused the Response: ${message}`);
}
