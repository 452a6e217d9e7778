import { MetadataParseError } from '../../src/okta/errors';
import { parseIdpMetadata } from '../../src/okta/saml-metadata';
import { CERT_DER_BASE64 } from '../app-guard/cert-fixture';

describe('Function: parseIdpMetadata', () => {
  // The shape Okta serves: prefixed elements, a signing key, and both bindings.
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1abc">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>${CERT_DER_BASE64.slice(0, 40)}
${CERT_DER_BASE64.slice(40)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://x.okta.com/app/redirect/sso/saml"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://x.okta.com/app/post/sso/saml"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

  it('reads the issuer, the HTTP-POST SSO URL and the certificate without line breaks', () => {
    expect(parseIdpMetadata(xml)).toEqual({
      entityId: 'http://www.okta.com/exk1abc',
      ssoUrl: 'https://x.okta.com/app/post/sso/saml',
      certificate: CERT_DER_BASE64,
    });
  });

  it('says what is missing from a document that is not IdP metadata', () => {
    expect(() => parseIdpMetadata('<html><body>login</body></html>')).toThrow(MetadataParseError);
    expect(() => parseIdpMetadata('<html><body>login</body></html>')).toThrow(/entityID/);
  });
});
