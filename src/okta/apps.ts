import type { Client } from '@okta/okta-sdk-nodejs';
import { XMLParser } from 'fast-xml-parser';
import type { AppUser } from '../domain/reconcile-plan';
import { toOktaError } from './client';

/**
 * Raw-JSON access to the Frontline app. The SDK's models drop fields they don't know (`settings.app`,
 * `settings.manualProvisioning`, `signOn.samlSignedRequestEnabled`…), so an app read through them and PUT back
 * loses an admin's settings. Everything here goes through `client.http.http` and keeps the JSON as Okta sent it.
 * The client's request executor (rate governor, 429 retries) still applies.
 */

/** The part of the SDK client these adapters use; a `createOktaClient` client fits. */
export type RawOktaClient = Pick<Client, 'http' | 'baseUrl'>;

export type RawApp = Record<string, unknown>;

export interface RawResponse {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export interface RawRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  accept?: string;
}

/** One call, errors mapped to our OktaError classes. `pathOrUrl` is an API path or an absolute `next` link. */
export async function oktaRaw(
  client: RawOktaClient,
  pathOrUrl: string,
  context: string,
  request: RawRequest = {},
): Promise<RawResponse> {
  const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${client.baseUrl}${pathOrUrl}`;
  const headers: Record<string, string> = { Accept: request.accept ?? 'application/json' };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const init = {
      method: request.method ?? 'GET',
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    };
    // The SDK types its options with node-fetch's RequestInit, whose types aren't installed; the shape is fetch's.
    const response = await client.http.http(
      url,
      init as unknown as Parameters<RawOktaClient['http']['http']>[1],
    );
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (err) {
    throw toOktaError(err, context);
  }
}

export async function oktaJson<T = unknown>(
  client: RawOktaClient,
  pathOrUrl: string,
  context: string,
  request: RawRequest = {},
): Promise<T> {
  const response = await oktaRaw(client, pathOrUrl, context, request);
  if (response.text.trim() === '') return undefined as T;
  return parseJson<T>(response.text, context);
}

/** A body that should be JSON; anything else (a proxy's HTML error page…) is a transient Okta failure. */
function parseJson<T>(text: string, context: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw toOktaError(Object.assign(new Error('response is not JSON'), { cause: err }), context);
  }
}

/** The `rel="next"` URL of a Link header (several links may share one header, comma-separated), as given. */
export function nextLink(linkHeader: string | null): string | undefined {
  if (!linkHeader) return undefined;
  for (const part of linkHeader.split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel\s*=\s*"?next"?/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

/** Every page of a cursor-paged list, following `Link: rel="next"` exactly as Okta gives it. */
export async function* pagesOf<T>(
  client: RawOktaClient,
  firstPath: string,
  context: string,
): AsyncGenerator<T[]> {
  let url: string | undefined = firstPath;
  while (url) {
    const response = await oktaRaw(client, url, context);
    const page = parseJson<T[]>(response.text || '[]', context);
    yield page;
    url = nextLink(response.headers.get('link'));
  }
}

const enc = encodeURIComponent;

export function getAppRaw(client: RawOktaClient, appId: string): Promise<RawApp> {
  return oktaJson<RawApp>(client, `/api/v1/apps/${enc(appId)}`, `GET app ${appId}`);
}

/** PUT is a full replace: send the whole raw object. */
export function replaceAppRaw(client: RawOktaClient, appId: string, app: RawApp): Promise<RawApp> {
  return oktaJson<RawApp>(client, `/api/v1/apps/${enc(appId)}`, `PUT app ${appId}`, {
    method: 'PUT',
    body: app,
  });
}

export function createAppRaw(client: RawOktaClient, app: RawApp): Promise<RawApp> {
  return oktaJson<RawApp>(client, '/api/v1/apps?activate=true', 'create app', { method: 'POST', body: app });
}

export async function activateApp(client: RawOktaClient, appId: string): Promise<void> {
  await oktaRaw(client, `/api/v1/apps/${enc(appId)}/lifecycle/activate`, `activate app ${appId}`, {
    method: 'POST',
  });
}

/** Apps whose label is exactly `label` (Okta's `q` matches label prefixes, so the rest are filtered out here). */
export async function findAppsByLabel(client: RawOktaClient, label: string): Promise<RawApp[]> {
  const found: RawApp[] = [];
  for await (const page of pagesOf<RawApp>(
    client,
    `/api/v1/apps?q=${enc(label)}&limit=200`,
    `find apps "${label}"`,
  )) {
    found.push(...page.filter((a) => a.label === label));
  }
  return found;
}

export interface AppKey {
  kid: string;
  x5c: string[];
  expiresAt: string | undefined;
}

export async function listAppKeys(client: RawOktaClient, appId: string): Promise<AppKey[]> {
  const keys = await oktaJson<Record<string, unknown>[]>(
    client,
    `/api/v1/apps/${enc(appId)}/credentials/keys`,
    `list keys of app ${appId}`,
  );
  return (keys ?? []).map((k) => ({
    kid: String(k.kid),
    x5c: Array.isArray(k.x5c) ? k.x5c.map(String) : [],
    expiresAt: typeof k.expiresAt === 'string' ? k.expiresAt : undefined,
  }));
}

/** The active signing key id of a raw app (`credentials.signing.kid`). */
export function activeKid(app: RawApp): string | undefined {
  const kid = (app.credentials as { signing?: { kid?: unknown } } | undefined)?.signing?.kid;
  return typeof kid === 'string' && kid !== '' ? kid : undefined;
}

export async function getMetadataXml(client: RawOktaClient, appId: string, kid?: string): Promise<string> {
  const query = kid ? `?kid=${enc(kid)}` : '';
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

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** Base64 DER of the signing certificate. */
  certificate: string;
}

export class MetadataParseError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetadataParseError';
  }
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

interface RawAppUser {
  id: string;
  scope?: string;
  status?: string;
  credentials?: { userName?: string };
  _embedded?: { user?: { status?: string; profile?: Record<string, unknown> } };
}

/**
 * The app's users, a page at a time (limit 500, Okta's maximum). `expand=user` asks Okta to embed each user (its
 * profile carries the `userType` mark the reconcile uses); when a server leaves it out, `userType` is undefined.
 */
export async function* listAppUsers(client: RawOktaClient, appId: string): AsyncGenerator<AppUser[]> {
  const first = `/api/v1/apps/${enc(appId)}/users?limit=500&expand=user`;
  for await (const page of pagesOf<RawAppUser>(client, first, `list users of app ${appId}`)) {
    yield page.map((u) => {
      const embedded = u._embedded?.user;
      return {
        id: u.id,
        // Okta always sends a scope; without one, don't guess USER (that would make it removable).
        scope: u.scope ?? 'UNKNOWN',
        userName: u.credentials?.userName,
        status: u.status,
        ...(embedded?.profile
          ? { userType: (embedded.profile.userType as string | null | undefined) ?? null }
          : {}),
      };
    });
  }
}
