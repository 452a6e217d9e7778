import { validation } from './errors';

/** signOn fields the OpenAPI spec marks required for SAML_2_0 apps. */
export const REQUIRED_SAML_SIGN_ON = [
  'allowMultipleAcsEndpoints',
  'assertionSigned',
  'audience',
  'authnContextClassRef',
  'destination',
  'digestAlgorithm',
  'honorForceAuthn',
  'idpIssuer',
  'recipient',
  'requestCompressed',
  'responseSigned',
  'signatureAlgorithm',
  'ssoAcsUrl',
  'subjectNameIdFormat',
  'subjectNameIdTemplate',
] as const;

/** Rejects an app body missing what Okta requires, with one errorCause per missing field. */
export function validateAppBody(app: Record<string, unknown>): void {
  const causes: string[] = [];
  if (typeof app.label !== 'string' || app.label.trim() === '')
    causes.push('label: The field cannot be left blank');
  if (typeof app.signOnMode !== 'string' || app.signOnMode === '')
    causes.push('signOnMode: The field cannot be left blank');
  if (app.signOnMode === 'SAML_2_0') {
    const signOn = (app.settings as { signOn?: Record<string, unknown> } | undefined)?.signOn;
    if (typeof signOn !== 'object' || signOn === null)
      causes.push('settings.signOn: The field cannot be left blank');
    else {
      for (const f of REQUIRED_SAML_SIGN_ON) {
        if (signOn[f] === undefined || signOn[f] === null || signOn[f] === '')
          causes.push(`settings.signOn.${f}: The field cannot be left blank`);
      }
    }
  }
  if (causes.length) throw validation(causes);
}

export const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The IdP issuer Okta shows in a SAML app's metadata (`entityID`) and puts in its assertions. */
export const idpEntityId = (issuerId: string) => `http://www.okta.com/${issuerId}`;

/** The app's IdP-initiated sign-in URL, as the metadata's `SingleSignOnService` shows it. */
export const idpSsoUrl = (baseUrl: string, appName: string, issuerId: string) =>
  `${baseUrl}/app/${appName}/${issuerId}/sso/saml`;

/** Okta's IdP metadata document for a SAML app. */
export function idpMetadataXml(opts: {
  entityId: string;
  ssoUrl: string;
  certBase64: string;
  nameIdFormats: string[];
}): string {
  const nameIds = opts.nameIdFormats
    .map((f) => `<md:NameIDFormat>${escapeXml(f)}</md:NameIDFormat>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${escapeXml(opts.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>` +
    `<ds:X509Certificate>${opts.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    nameIds +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(opts.ssoUrl)}"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(opts.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
