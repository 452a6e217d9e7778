import { X509Certificate } from 'node:crypto';
import { SsoConfigError } from './errors';

/**
 * What Frontline's console SSO page holds for one realm (Frontline → Manage → SSO): the three IdP values the admin
 * pastes from the IdP — issuer, SSO URL, X.509 certificate — in Twilio's Okta guide step "Copy application details"
 * (https://www.twilio.com/docs/frontline/sso/okta). The page has no public API, so the emulator takes them on a
 * control route. The service-provider side is fixed by the Realm SID (see `acsUrlFor` and `audienceFor`).
 */
export interface SsoConfigInput {
  /** The IdP's issuer (Okta: `http://www.okta.com/<entity key>`). */
  issuer: string;
  /** The IdP's sign-in URL, for SP-initiated sign-in; the assertion consumer does not use it. */
  ssoUrl: string;
  /** PEM with its BEGIN/END lines (as the console takes it) or base64 DER (as in metadata's X509Certificate). */
  certificate: string;
}

/** The console values as stored and read back, with the realm's own SP URLs beside them. */
export interface SsoConfigView {
  realmSid: string;
  issuer: string;
  ssoUrl: string;
  /** Always PEM, whichever form was pasted. */
  certificate: string;
  /** Where the IdP posts assertions; Frontline requires it as the Response's Destination and the Recipient. */
  acsUrl: string;
  /** The SP entity ID that the assertion's Audience must name. */
  audience: string;
}

/** A Realm SID: `JB` + 32 hex digits, as every Twilio SID is a two-letter prefix and 32 hex digits. */
export const REALM_SID_PATTERN = /^JB[0-9a-fA-F]{32}$/;

/**
 * Twilio IAM is Frontline's SAML service provider. Both URLs are fixed per realm: the guides (Okta, Google, Azure
 * AD, AWS under https://www.twilio.com/docs/frontline/sso/) give the Single sign-on / ACS URL as
 * `https://iam.twilio.com/v2/saml2/authenticate/<RealmSID>` and the Audience / Entity ID as
 * `https://iam.twilio.com/v2/saml2/metadata/<RealmSID>`.
 */
export const acsUrlFor = (realmSid: string): string =>
  `https://iam.twilio.com/v2/saml2/authenticate/${realmSid}`;
export const audienceFor = (realmSid: string): string =>
  `https://iam.twilio.com/v2/saml2/metadata/${realmSid}`;

/** Checks the console form as the admin would fill it in and answers the stored view; throws SsoConfigError. */
export function parseSsoConfig(realmSid: string, body: unknown): SsoConfigView {
  if (!REALM_SID_PATTERN.test(realmSid)) {
    throw new SsoConfigError(`realmSid must be JB followed by 32 hex digits, got "${realmSid}"`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SsoConfigError('the body must be a JSON object with issuer, ssoUrl and certificate');
  }
  const { issuer, ssoUrl, certificate } = body as Record<string, unknown>;
  if (typeof issuer !== 'string' || issuer.trim() === '') {
    throw new SsoConfigError('issuer (a non-empty string) is required');
  }
  if (typeof ssoUrl !== 'string' || !isHttpUrl(ssoUrl)) {
    throw new SsoConfigError('ssoUrl (an absolute http or https URL) is required');
  }
  if (typeof certificate !== 'string' || certificate.trim() === '') {
    throw new SsoConfigError('certificate (PEM or base64 DER) is required');
  }
  return {
    realmSid,
    issuer: issuer.trim(),
    ssoUrl: ssoUrl.trim(),
    certificate: certificatePem(certificate),
    acsUrl: acsUrlFor(realmSid),
    audience: audienceFor(realmSid),
  };
}

/** The certificate as PEM; throws SsoConfigError when it is not an X.509 certificate in either form. */
export function certificatePem(text: string): string {
  const trimmed = text.trim();
  const base64 = trimmed.includes('-----BEGIN')
    ? /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(trimmed)?.[1]
    : trimmed;
  const compact = (base64 ?? '').replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new SsoConfigError('certificate must be PEM (BEGIN/END CERTIFICATE lines) or base64 DER');
  }
  try {
    const cert = new X509Certificate(Buffer.from(compact, 'base64'));
    return cert.toString();
  } catch {
    throw new SsoConfigError('certificate is not a readable X.509 certificate');
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
