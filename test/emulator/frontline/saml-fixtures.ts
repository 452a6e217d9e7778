import { generateKeyPair, randomUUID, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import { acsUrlFor, audienceFor } from '../../../emulator/frontline';

/*
 * Signed SAML Responses shaped like the ones Okta posts for the Frontline app (Okta's SAML app: issuer
 * http://www.okta.com/<entity key>, RSA-SHA256, exclusive C14N, the signature right after Issuer), made here so the
 * service-provider tests do not depend on the Okta emulator. Every part can be bent one way to make a check fail.
 */

export interface TestKey {
  privateKeyPem: string;
  publicKeyPem: string;
  certPem: string;
  /** Base64 DER, as in metadata's ds:X509Certificate. */
  certBase64: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** An RSA key and a self-signed certificate, as emulator/okta/certs.ts makes an app's signing credential. */
export async function makeKey(commonName = 'idp'): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyPair: { publicKey, privateKey },
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
  });
  const cert = new X509Certificate(pems.cert);
  return {
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    // Node's own PEM text, so it equals what the console stores whichever form was pasted.
    certPem: cert.toString(),
    certBase64: cert.raw.toString('base64'),
  };
}

export const REALM = 'JB0123456789abcdef0123456789abcdef';
export const IDP_ISSUER = 'http://www.okta.com/exk1frontlinefixture';
export const IDP_SSO_URL = 'https://acme.okta.com/app/acme_twiliofrontline_1/exk1frontlinefixture/sso/saml';

export interface ResponseSpec {
  key: TestKey;
  /** The Assertion's Issuer. @default IDP_ISSUER */
  issuer?: string;
  /** The Response's Issuer. @default the Assertion's */
  responseIssuer?: string;
  /** null = no Destination attribute. @default the realm's ACS URL */
  destination?: string | null;
  /** @default the realm's ACS URL */
  recipient?: string;
  /** @default the realm's entity ID */
  audience?: string;
  /** @default ana@example.com */
  nameId?: string;
  /** @default email ana@example.com, roles agent */
  attributes?: { name: string; values: string[] }[];
  /** Conditions window. @default one minute back, five minutes on */
  notBefore?: Date;
  notOnOrAfter?: Date;
  /** The bearer confirmation's NotOnOrAfter. @default as the Conditions' */
  subjectNotOnOrAfter?: Date;
  /** Sign the Response: true with `key`, or with another key. @default true */
  signResponse?: boolean | TestKey;
  /** Sign the Assertion, likewise. @default true */
  signAssertion?: boolean | TestKey;
  /** Encrypt the (signed) Assertion for this recipient, as Okta does with `assertionEncrypted`. */
  encryptFor?: TestKey;
}

export const AGENT_ATTRIBUTES = (email = 'ana@example.com') => [
  { name: 'email', values: [email] },
  { name: 'roles', values: ['agent'] },
];

const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const RESPONSE_XPATH = "/*[local-name()='Response']";
const ASSERTION_XPATH = `${RESPONSE_XPATH}/*[local-name()='Assertion']`;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const iso = (d: Date) => d.toISOString();

/** A base64 SAMLResponse as the IdP would post it. */
export async function samlResponse(spec: ResponseSpec): Promise<string> {
  const now = Date.now();
  const acs = acsUrlFor(REALM);
  const issuer = spec.issuer ?? IDP_ISSUER;
  const notBefore = spec.notBefore ?? new Date(now - 60_000);
  const notOnOrAfter = spec.notOnOrAfter ?? new Date(now + 300_000);
  const nameId = spec.nameId ?? 'ana@example.com';
  const attributes = (spec.attributes ?? AGENT_ATTRIBUTES(nameId))
    .map(
      (a) =>
        `<saml2:Attribute Name="${esc(a.name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
        a.values
          .map(
            (v) =>
              `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" ` +
              `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml2:AttributeValue>`,
          )
          .join('') +
        `</saml2:Attribute>`,
    )
    .join('');
  let assertion =
    `<saml2:Assertion xmlns:saml2="${ASSERTION}" ID="id${randomUUID().replace(/-/g, '')}" ` +
    `IssueInstant="${iso(new Date(now))}" Version="2.0">` +
    `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${esc(nameId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml2:SubjectConfirmationData NotOnOrAfter="${iso(spec.subjectNotOnOrAfter ?? notOnOrAfter)}" ` +
    `Recipient="${esc(spec.recipient ?? acs)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    `<saml2:AudienceRestriction><saml2:Audience>${esc(spec.audience ?? audienceFor(REALM))}</saml2:Audience>` +
    `</saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${iso(new Date(now))}" SessionIndex="id${now}">` +
    `<saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport` +
    `</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    (attributes ? `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement>` : '') +
    `</saml2:Assertion>`;
  const destination = spec.destination === undefined ? acs : spec.destination;
  const wrap = (inner: string) =>
    `<saml2p:Response xmlns:saml2p="${PROTOCOL}"${destination === null ? '' : ` Destination="${esc(destination)}"`} ` +
    `ID="id${randomUUID().replace(/-/g, '')}" IssueInstant="${iso(new Date(now))}" Version="2.0">` +
    `<saml2:Issuer xmlns:saml2="${ASSERTION}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">` +
    `${esc(spec.responseIssuer ?? issuer)}</saml2:Issuer>` +
    `<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>` +
    inner +
    `</saml2p:Response>`;

  const assertionKey = keyFor(spec.signAssertion, spec.key);
  if (assertionKey) {
    // Signed in place inside a Response, so the enveloped signature sits where Okta puts it.
    const signed = sign(wrap(assertion), ASSERTION_XPATH, assertionKey);
    assertion = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(signed)![0];
  }
  if (spec.encryptFor) assertion = await encryptAssertion(assertion, spec.encryptFor);
  let xml = wrap(assertion);
  const responseKey = keyFor(spec.signResponse, spec.key);
  if (responseKey) xml = sign(xml, RESPONSE_XPATH, responseKey);
  return Buffer.from(xml, 'utf8').toString('base64');
}

function keyFor(option: boolean | TestKey | undefined, key: TestKey): TestKey | undefined {
  if (option === false) return undefined;
  return option === undefined || option === true ? key : option;
}

function sign(xml: string, xpath: string, key: TestKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certPem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath,
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${xpath}/*[local-name()='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}

interface XmlEncryption {
  encrypt(
    content: string,
    options: Record<string, string>,
    callback: (err: Error | null, result: string) => void,
  ): void;
}
// xml-encryption ships no types; loaded untyped and given the one call used here.
const xmlenc = createRequire(__filename)('xml-encryption') as XmlEncryption;

async function encryptAssertion(assertion: string, recipient: TestKey): Promise<string> {
  const encrypted = await new Promise<string>((resolve, reject) =>
    xmlenc.encrypt(
      assertion,
      {
        rsa_pub: recipient.publicKeyPem,
        pem: recipient.certPem,
        encryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
  return `<saml2:EncryptedAssertion xmlns:saml2="${ASSERTION}">${encrypted}</saml2:EncryptedAssertion>`;
}
