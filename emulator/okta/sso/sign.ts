import { SignedXml } from 'xml-crypto';
import type { SigningKey } from '../certs';
import { SsoRefusedError } from './errors';

/**
 * `signatureAlgorithm` / `digestAlgorithm` of a SAML app ("Determines the signing/digest algorithm used to digitally
 * sign the SAML assertion and response": `SamlApplicationSettingsSignOn`, values RSA_SHA256|RSA_SHA1 and
 * SHA256|SHA1) as XML-DSig algorithm URIs.
 */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  RSA_SHA256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  RSA_SHA1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
};
const DIGEST_ALGORITHMS: Record<string, string> = {
  SHA256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  SHA1: 'http://www.w3.org/2000/09/xmldsig#sha1',
};
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export interface SignatureAlgorithms {
  signature: string;
  digest: string;
}

/** The app's algorithms as URIs; an unknown name is refused rather than replaced by a default. */
export function signatureAlgorithms(signOn: Record<string, unknown>): SignatureAlgorithms {
  const signature = SIGNATURE_ALGORITHMS[String(signOn.signatureAlgorithm ?? 'RSA_SHA256')];
  const digest = DIGEST_ALGORITHMS[String(signOn.digestAlgorithm ?? 'SHA256')];
  if (!signature)
    throw new SsoRefusedError(
      'algorithm',
      `signatureAlgorithm ${JSON.stringify(signOn.signatureAlgorithm)} is not RSA_SHA256 or RSA_SHA1`,
    );
  if (!digest)
    throw new SsoRefusedError(
      'algorithm',
      `digestAlgorithm ${JSON.stringify(signOn.digestAlgorithm)} is not SHA256 or SHA1`,
    );
  return { signature, digest };
}

/**
 * Signs the document's root element (`Response` or `Assertion`) as Okta does (russellhaering/goxmldsig
 * `validate_test.go`, captured from Okta): an enveloped signature placed right after the element's `Issuer`,
 * exclusive canonicalization, a reference to the element's `ID`, and the signing certificate in `KeyInfo`. Okta
 * also lists `xs` as an inclusive prefix of the c14n transform; xml-crypto would attach that list to the
 * enveloped-signature transform too, so it is left out (the signed element declares `xs` itself either way).
 */
export function signRoot(
  xml: string,
  element: 'Response' | 'Assertion',
  key: SigningKey,
  algorithms: SignatureAlgorithms,
): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certPem,
    signatureAlgorithm: algorithms.signature,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({
    xpath: `/*[local-name(.)='${element}']`,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: algorithms.digest,
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `/*[local-name(.)='${element}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}
