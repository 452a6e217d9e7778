import { randomBytes } from 'node:crypto';
import { escapeXml } from '../saml';
import type { SamlAttribute } from './attributes';

export const SAML_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XS = 'http://www.w3.org/2001/XMLSchema';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const ENTITY = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

/** Okta's Response and Assertion ids: `id` and a long decimal number (e.g. `id9464273530269711243550013`). */
export function samlId(): string {
  return `id${BigInt(`0x${randomBytes(11).toString('hex')}`)
    .toString()
    .padStart(25, '0')
    .slice(0, 25)}`;
}

export interface AssertionFields {
  id: string;
  issueInstant: string;
  issuer: string;
  nameId: string;
  nameIdFormat: string;
  recipient: string;
  notBefore: string;
  notOnOrAfter: string;
  audience: string;
  sessionIndex: string;
  authnContextClassRef: string;
  attributes: SamlAttribute[];
}

/**
 * The `saml2:Assertion`, shaped as Okta sends it (a Response captured from an Okta org in russellhaering/goxmldsig
 * `validate_test.go`): Issuer with the entity format, Subject (NameID, bearer SubjectConfirmation with Recipient and
 * NotOnOrAfter), Conditions with the AudienceRestriction, AuthnStatement, then the AttributeStatement with
 * `xs:string` values. IdP-initiated, so nothing carries `InResponseTo`. The assertion declares its own namespaces
 * so its signature survives being encrypted or embedded.
 */
export function assertionXml(a: AssertionFields): string {
  const attrs = a.attributes
    .map(
      (at) =>
        `<saml2:Attribute Name="${escapeXml(at.name)}" NameFormat="${escapeXml(at.nameFormat)}">` +
        at.values
          .map(
            (v) =>
              `<saml2:AttributeValue xmlns:xsi="${XSI}" xsi:type="xs:string">${escapeXml(v)}</saml2:AttributeValue>`,
          )
          .join('') +
        `</saml2:Attribute>`,
    )
    .join('');
  return (
    `<saml2:Assertion xmlns:saml2="${SAML_ASSERTION}" xmlns:xs="${XS}" ID="${a.id}" IssueInstant="${a.issueInstant}" Version="2.0">` +
    `<saml2:Issuer Format="${ENTITY}">${escapeXml(a.issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="${escapeXml(a.nameIdFormat)}">${escapeXml(a.nameId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml2:SubjectConfirmationData NotOnOrAfter="${a.notOnOrAfter}" Recipient="${escapeXml(a.recipient)}"/>` +
    `</saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${a.notBefore}" NotOnOrAfter="${a.notOnOrAfter}">` +
    `<saml2:AudienceRestriction><saml2:Audience>${escapeXml(a.audience)}</saml2:Audience></saml2:AudienceRestriction>` +
    `</saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${a.issueInstant}" SessionIndex="${a.sessionIndex}">` +
    `<saml2:AuthnContext><saml2:AuthnContextClassRef>${escapeXml(a.authnContextClassRef)}</saml2:AuthnContextClassRef>` +
    `</saml2:AuthnContext></saml2:AuthnStatement>` +
    (attrs ? `<saml2:AttributeStatement>${attrs}</saml2:AttributeStatement>` : '') +
    `</saml2:Assertion>`
  );
}

/** The `saml2p:Response` around an assertion (plain, signed or an `EncryptedAssertion`), Status Success. */
export function responseXml(
  r: { id: string; issueInstant: string; destination: string; issuer: string },
  assertion: string,
): string {
  return (
    `<saml2p:Response xmlns:saml2p="${SAML_PROTOCOL}" xmlns:xs="${XS}" Destination="${escapeXml(r.destination)}" ID="${r.id}" IssueInstant="${r.issueInstant}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="${SAML_ASSERTION}" Format="${ENTITY}">${escapeXml(r.issuer)}</saml2:Issuer>` +
    `<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>` +
    assertion +
    `</saml2p:Response>`
  );
}
