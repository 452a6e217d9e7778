import type { AppUser } from '../domain/reconcile-plan';
import type { RawApp } from '../domain/okta-app';
import { oktaJson, oktaRaw, pagesOf, type RawOktaClient } from './http';

/**
 * The Okta Apps API for the Frontline app, as raw JSON. The SDK's models drop fields they don't know
 * (`settings.app`, `settings.manualProvisioning`, `signOn.samlSignedRequestEnabled`…), so an app read through them
 * and PUT back loses an admin's settings.
 */

export type { RawApp } from '../domain/okta-app';

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
  created: string | undefined;
}

/** One of Okta's key credentials (a JWK with `x5c`, `expiresAt`, `created`) as the guard reads it. */
export function appKeyOf(k: Record<string, unknown>): AppKey {
  return {
    kid: String(k.kid),
    x5c: Array.isArray(k.x5c) ? k.x5c.map(String) : [],
    expiresAt: typeof k.expiresAt === 'string' ? k.expiresAt : undefined,
    created: typeof k.created === 'string' ? k.created : undefined,
  };
}

export async function listAppKeys(client: RawOktaClient, appId: string): Promise<AppKey[]> {
  const keys = await oktaJson<Record<string, unknown>[]>(
    client,
    `/api/v1/apps/${enc(appId)}/credentials/keys`,
    `list keys of app ${appId}`,
  );
  return (keys ?? []).map(appKeyOf);
}

/**
 * Okta's "Update an application user" (`POST /api/v1/apps/{appId}/users/{userId}`): sets the assignment's
 * username, keeping its scope. Apps bucket.
 */
export async function updateAppUserName(
  client: RawOktaClient,
  appId: string,
  userId: string,
  userName: string,
): Promise<void> {
  await oktaJson(client, `/api/v1/apps/${enc(appId)}/users/${enc(userId)}`, `update app user ${userId}`, {
    method: 'POST',
    body: { credentials: { userName } },
  });
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
