import { XMLParser } from 'fast-xml-parser';
import type { IdpMetadata } from '../domain/okta-app';
import { MetadataParseError } from './errors';
import { oktaRaw, type RawOktaClient } from './http';

export type { IdpMetadata };

const enc = encodeURIComponent;

/** `kid` is required: Okta's metadata preview refuses a request without it (Apps API). */
export async function getMetadataXml(client: RawOktaClient, appId: string, kid: string): Promise<string> {
  const query = `?kid=${enc(kid)}`;
  const response = await oktaRaw(
    client,
    `/api/v1/apps/${enc(appId)}/sso/saml/metadata${query}`,
    `SAML metadata of app ${appId}`,
    {
      accept: 'application/xml',
    },
  );
  return response.text;
}

/** The three values Frontline's console needs, from Okta's IdP metadata document. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (err) {
    throw new MetadataParseError('SAML metadata is not XML', { cause: err });
  }
  type Node = Record<string, unknown>;
  const first = (v: unknown): Node | undefined => (Array.isArray(v) ? v[0] : v) as Node | undefined;
  const entity = first(doc.EntityDescriptor);
  const idp = first(entity?.IDPSSODescriptor);
  const services = idp?.SingleSignOnService;
  const list = (Array.isArray(services) ? services : [services]) as (Node | undefined)[];
  const post = list.find((s) => String(s?.['@Binding'] ?? '').endsWith('HTTP-POST')) ?? list[0];
  const keyDescriptors = idp?.KeyDescriptor;
  const keys = (Array.isArray(keyDescriptors) ? keyDescriptors : [keyDescriptors]) as (Node | undefined)[];
  const signing = keys.find((k) => k?.['@use'] === undefined || k?.['@use'] === 'signing');
  const cert = first(first(first(signing?.KeyInfo)?.X509Data)?.X509Certificate);
  const entityId = entity?.['@entityID'];
  const ssoUrl = post?.['@Location'];
  const certificate = typeof cert === 'string' ? cert : (cert as Node | undefined)?.['#text'];
  if (typeof entityId !== 'string' || typeof ssoUrl !== 'string' || typeof certificate !== 'string') {
    throw new MetadataParseError(
      'SAML metadata lacks entityID, SingleSignOnService Location or X509Certificate',
    );
  }
  return { entityId, ssoUrl, certificate: certificate.replace(/\s+/g, '') };
}
