import { SAML, type Profile } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import type { RunningEmulator } from '../../emulator/okta';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const SAML_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** An Okta Management API call with the emulator's API token, as an admin's script would make it. */
export async function api(
  em: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${em.url}${path}`, {
    method,
    headers: {
      Authorization: `SSWS ${em.token}`,
      Accept: 'application/json',
      'Content-Type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Json };
}

/** What a service provider's admin takes from the app's IdP metadata: the issuer, the SSO URL and the certificate. */
export async function idpMetadata(
  em: RunningEmulator,
  appId: string,
): Promise<{ entityId: string; ssoUrl: string; cert: string }> {
  const app = (await api(em, 'GET', `/api/v1/apps/${appId}`)).json;
  const res = await fetch(
    `${em.url}/api/v1/apps/${appId}/sso/saml/metadata?kid=${String(app.credentials.signing.kid)}`,
    { headers: { Authorization: `SSWS ${em.token}`, Accept: 'application/xml' } },
  );
  const doc = new DOMParser().parseFromString(await res.text(), 'text/xml');
  const md = 'urn:oasis:names:tc:SAML:2.0:metadata';
  const post = Array.from(doc.getElementsByTagNameNS(md, 'SingleSignOnService')).find(
    (e) => e.getAttribute('Binding') === 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  );
  return {
    entityId: doc.documentElement!.getAttribute('entityID')!,
    ssoUrl: post!.getAttribute('Location')!,
    cert: doc.getElementsByTagNameNS(DSIG, 'X509Certificate')[0]!.textContent!.trim(),
  };
}

/** Replaces the app's `settings.signOn` fields through the Apps API (GET, change, PUT, as a repair would). */
export async function updateSignOn(em: RunningEmulator, appId: string, patch: Json): Promise<Json> {
  const app = (await api(em, 'GET', `/api/v1/apps/${appId}`)).json;
  app.settings.signOn = { ...app.settings.signOn, ...patch };
  const put = await api(em, 'PUT', `/api/v1/apps/${appId}`, app);
  if (put.status !== 200) throw new Error(`PUT app: ${put.status} ${JSON.stringify(put.json)}`);
  return put.json;
}

/** `POST /__emulator/sso/{appId}`. */
export async function signIn(
  em: RunningEmulator,
  appId: string,
  userId: string,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${em.url}/__emulator/sso/${appId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

/**
 * Validates a base64 SAMLResponse the way a service provider would, with node-saml and only what the IdP metadata
 * and the SP's own settings give it.
 */
export async function validate(
  samlResponse: string,
  sp: {
    cert: string;
    idpIssuer: string;
    audience: string;
    acsUrl: string;
    wantAuthnResponseSigned?: boolean;
    wantAssertionsSigned?: boolean;
    decryptionPvk?: string;
  },
): Promise<Profile> {
  const saml = new SAML({
    idpCert: sp.cert,
    idpIssuer: sp.idpIssuer,
    issuer: sp.audience,
    audience: sp.audience,
    callbackUrl: sp.acsUrl,
    wantAuthnResponseSigned: sp.wantAuthnResponseSigned ?? true,
    wantAssertionsSigned: sp.wantAssertionsSigned ?? true,
    ...(sp.decryptionPvk ? { decryptionPvk: sp.decryptionPvk } : {}),
  });
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse });
  if (!profile) throw new Error('node-saml returned no profile');
  return profile;
}

/** The Response document of a base64 SAMLResponse. */
export function responseDoc(samlResponse: string): Document {
  return new DOMParser().parseFromString(
    Buffer.from(samlResponse, 'base64').toString('utf8'),
    'text/xml',
  ) as unknown as Document;
}

/** The `ds:Signature` elements that are direct children of `el` (what signs `el` itself). */
export function ownSignatures(el: Element): Element[] {
  return Array.from(el.childNodes).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === DSIG,
  );
}
