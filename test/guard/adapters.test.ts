import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetadataParseError } from '../../src/okta/errors';
import { nextLink } from '../../src/okta/http';
import { parseIdpMetadata } from '../../src/okta/saml-metadata';
import { fileFingerprintStore, StateFileError } from '../../src/guard/state-file';
import { CERT_DER_BASE64 } from './cert-fixture';
import { tempDir } from './helpers';

describe('Function: nextLink', () => {
  it('returns the rel="next" URL exactly as given, from one header holding both links', () => {
    const header =
      '<https://x.okta.com/api/v1/groups/00g1/users?limit=200>; rel="self", <https://x.okta.com/api/v1/groups/00g1/users?after=00u9&limit=200>; rel="next"';
    expect(nextLink(header)).toBe('https://x.okta.com/api/v1/groups/00g1/users?after=00u9&limit=200');
  });

  it('returns undefined on the last page or without a header', () => {
    expect(nextLink('<https://x.okta.com/api/v1/apps/0oa1/users?limit=500>; rel="self"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

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

describe('Function: fileFingerprintStore', () => {
  it('returns nothing before a confirmation and the confirmed fingerprint after, per app', async () => {
    const tmp = tempDir();
    try {
      const store = fileFingerprintStore(join(tmp.dir, 'nested', 'state.json'));
      expect(await store.get('0oa1')).toBeUndefined();
      await store.confirm('0oa1', 'AA:BB', new Date('2026-01-01T00:00:00Z'));
      await store.confirm('0oa2', 'CC:DD', new Date('2026-01-01T00:00:00Z'));
      expect(await store.get('0oa1')).toBe('AA:BB');
      expect(await store.get('0oa2')).toBe('CC:DD');
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a state file that is not JSON instead of overwriting it', async () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'state.json');
      writeFileSync(path, 'not json');
      await expect(fileFingerprintStore(path).get('0oa1')).rejects.toBeInstanceOf(StateFileError);
    } finally {
      tmp.cleanup();
    }
  });
});
