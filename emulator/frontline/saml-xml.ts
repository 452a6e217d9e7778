import { DOMParser } from '@xmldom/xmldom';
import { SamlSignInError } from './errors';

/*
 * Reading a SAML 2.0 Response (OASIS saml-core-2.0-os) for the checks @node-saml/node-saml leaves to the service
 * provider. Only namespaced elements count, so a look-alike in another namespace is never read.
 */
const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/**
 * The document element of `xml`, refusing anything the parser had to guess at (a malformed post is a 400, not a
 * half-read): xmldom 0.8 reports an unclosed element or an unquoted attribute only as a warning, so those count too.
 */
export function parseXml(xml: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: (m: string) => void problems.push(m),
      error: (m: string) => void problems.push(m),
      fatalError: (m: string) => void problems.push(m),
    },
  }).parseFromString(xml, 'text/xml');
  const root = doc?.documentElement;
  if (problems.length > 0 || !root) {
    throw new SamlSignInError(400, 'malformed_request', 'SAMLResponse is not well-formed XML');
  }
  return root;
}

function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const el = n as Element;
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
    }
  }
  return out;
}

const text = (el: Element | undefined): string | undefined => el?.textContent?.trim() ?? undefined;
/** xmldom answers '' for an absent attribute; absent is null here. */
const attr = (el: Element, name: string): string | null =>
  el.hasAttribute(name) ? el.getAttribute(name) : null;

/** The parts of the posted Response the checks look at before any signature is trusted. */
export interface ResponseEnvelope {
  destination: string | null;
  issuer: string | undefined;
  signed: boolean;
  /** Present when the Response carries a plain Assertion. */
  assertionSigned: boolean | undefined;
  encrypted: boolean;
}

export function readEnvelope(response: Element): ResponseEnvelope {
  if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') {
    throw new SamlSignInError(400, 'malformed_request', 'SAMLResponse is not a SAML 2.0 protocol Response');
  }
  const assertion = children(response, NS.assertion, 'Assertion')[0];
  return {
    destination: attr(response, 'Destination'),
    issuer: text(children(response, NS.assertion, 'Issuer')[0]),
    signed: children(response, NS.dsig, 'Signature').length > 0,
    assertionSigned: assertion ? children(assertion, NS.dsig, 'Signature').length > 0 : undefined,
    encrypted: children(response, NS.assertion, 'EncryptedAssertion').length > 0,
  };
}

/** What the (signature-verified) Assertion says about the subject. */
export interface AssertionFacts {
  issuer: string | undefined;
  nameId: string | undefined;
  nameIdFormat: string | undefined;
  /** Each bearer SubjectConfirmationData's Recipient and NotOnOrAfter. */
  bearer: { recipient: string | null; notOnOrAfter: string | null }[];
  /** Attribute Name → its AttributeValue texts, names exactly as sent (SAML attribute names are case-sensitive). */
  attributes: Map<string, string[]>;
}

export function readAssertion(assertionXml: string): AssertionFacts {
  const assertion = parseXml(assertionXml);
  const subject = children(assertion, NS.assertion, 'Subject')[0];
  const nameId = subject ? children(subject, NS.assertion, 'NameID')[0] : undefined;
  const bearer = (subject ? children(subject, NS.assertion, 'SubjectConfirmation') : [])
    .filter((c) => c.getAttribute('Method') === BEARER)
    .flatMap((c) => children(c, NS.assertion, 'SubjectConfirmationData'))
    .map((d) => ({ recipient: attr(d, 'Recipient'), notOnOrAfter: attr(d, 'NotOnOrAfter') }));
  const attributes = new Map<string, string[]>();
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of children(statement, NS.assertion, 'Attribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      const values = children(attribute, NS.assertion, 'AttributeValue')
        .map((v) => v.textContent?.trim() ?? '')
        .filter((v) => v !== '');
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  return {
    issuer: text(children(assertion, NS.assertion, 'Issuer')[0]),
    nameId: text(nameId),
    nameIdFormat: nameId?.getAttribute('Format') || undefined,
    bearer,
    attributes,
  };
}
