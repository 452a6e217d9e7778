import type { Client } from '@okta/okta-sdk-nodejs';
import { isOktaId } from '../domain/okta-id';
import { effectiveUserNameTemplate } from '../domain/identity-drift';
import { OktaPermanentError } from './errors';
import { cachedAppLinksShowAssignment } from './app-link-visibility';
import { toOktaError } from './client';
import { notOktasAnswer } from './okta-answer';
import { readIdentityTrail } from './identity-trail';
import type { IdentityTrail } from '../domain/frontline-identity';

/** The part of an Okta user the worker reads. `profile` keeps every attribute, custom ones included. */
export interface DirectoryUser {
  id: string;
  status: string;
  /** Set while an asynchronous activation or deactivation runs (Users API User object). */
  transitioningToStatus?: string | undefined;
  profile: Readonly<Record<string, unknown>>;
}

/** One entry of `GET /api/v1/users/{id}/appLinks`; an app can have several (one per link). */
export interface DirectoryAppLink {
  appInstanceId: string;
  appAssignmentId: string | undefined;
  hidden: boolean | undefined;
}

export type UnassignResult =
  /** 204: the user's own (USER-scoped) assignment is gone. */
  | 'removed'
  /** 404 E0000007 (Okta's own; any other 404 is a transient failure): there was nothing to remove. */
  | 'not-assigned'
  /** 403 E0000046: a group assignment grants the app, which can't be removed per user. */
  | 'held-by-group';

/**
 * The Okta calls the provisioning worker makes. Every method throws only our OktaError classes (rate limited,
 * transient, permanent with a kind), never an SDK error.
 */
export interface OktaDirectory {
  /** `GET /api/v1/users/{id}` (users bucket); null only when Okta itself answers 404 E0000007. */
  getUser(userId: string): Promise<DirectoryUser | null>;
  /** `GET /api/v1/users/{id}/groups` (users bucket). */
  listUserGroupIds(userId: string): Promise<string[]>;
  /** `GET /api/v1/users/{id}/appLinks` (users bucket): apps assigned directly or through a group. */
  listAppLinks(userId: string): Promise<DirectoryAppLink[]>;
  /** Partial `POST /api/v1/users/{id}` with only the given attributes (null clears one). Never a PUT. */
  updateUserProfile(userId: string, profile: Readonly<Record<string, string | null>>): Promise<void>;
  /** `POST /api/v1/apps/{appId}/users` with scope USER (apps bucket). A repeat answers 200. */
  /**
   * Assigns with `scope: USER`. Without `userName` the request carries no credentials and Okta derives the username
   * from the app's `credentials.userNameTemplate` (Management API, AppUserCredentials: "the userNameTemplate in the
   * Application object defines the default username generated when a user is assigned to that app").
   */
  /** Resolves to the username Okta gave the assignment (`credentials.userName` of the answer), when it says. */
  assignUser(appId: string, userId: string, userName?: string): Promise<string | undefined>;
  /** `DELETE /api/v1/apps/{appId}/users/{userId}` (apps bucket). */
  unassignUser(appId: string, userId: string): Promise<UnassignResult>;
  /** The assignment's `credentials.userName` (apps bucket); null when the user is not assigned (404). */
  getAppUserName(appId: string, userId: string): Promise<string | null>;
  /**
   * The app's own `credentials.userNameTemplate.template` (`GET /api/v1/apps/{id}`, the apps-item bucket, apart
   * from `/api/v1/apps*`); Okta's default `${source.login}` when the app sets none.
   */
  getAppUserNameTemplate(appId: string): Promise<string>;
  /**
   * Whether the app's appLinks show its assignments (its dashboard link is on: ./app-link-visibility.ts); a cached
   * `GET /api/v1/apps/{id}` (apps-item bucket). Optional: without it appLinks are taken as showing them.
   */
  appLinksShowAssignment?(appId: string): Promise<boolean>;
  /**
   * What the System Log still carries of a (deleted) user: the app's usernames and their logins (one logs-bucket
   * call, `okta.logs.read`; src/okta/identity-trail.ts). Optional: a directory without it has no trail.
   */
  readIdentityTrail?(userId: string, appId: string): Promise<IdentityTrail>;
}

/**
 * Ids go into URL paths: anything but an Okta id (`..`, `me`, a lone surrogate) is refused before a request is
 * made, as a permanent failure, whatever encoding the SDK would apply.
 */
function requireOktaId(id: string, what: 'user' | 'app'): void {
  if (typeof id === 'string' && isOktaId(id)) return;
  const shown = JSON.stringify(String(id).slice(0, 40));
  throw new OktaPermanentError(
    `refused: ${shown} is not an Okta ${what} id (20 letters and digits)`,
    'invalid-request',
  );
}

/**
 * OktaDirectory over the official SDK. The client must be built by `createOktaClient` (cache off, 429 retries as the
 * caller wants). The SDK's POST update serializes only the attributes given (checked in its generated
 * ObjectSerializer: unknown keys of the extensible UserProfile pass through, unset ones are omitted), so the partial
 * update goes through `userApi.updateUser` as is.
 */
export function createOktaDirectory(client: Client): OktaDirectory {
  async function appExists(appId: string): Promise<boolean> {
    try {
      await client.applicationApi.getApplication({ appId });
      return true;
    } catch (err) {
      const error = toOktaError(err, `GET app ${appId}`);
      if (error instanceof OktaPermanentError && error.kind === 'not-found') return false;
      throw error;
    }
  }

  const linksShow = cachedAppLinksShowAssignment(client);
  return {
    appLinksShowAssignment: (appId) => {
      requireOktaId(appId, 'app');
      return linksShow(appId);
    },

    async getUser(userId) {
      requireOktaId(userId, 'user');
      try {
        const user = await client.userApi.getUser({ userId });
        // Okta's User object always has both; without them this is no user of Okta's (a JSON 200 from something in
        // front of it), and "a user with no status" would be skipped as a fact.
        if (!user?.id || !user.status) {
          throw notOktasAnswer(`GET user ${userId}`, 200, 'a 200 that is no Okta user: no id or status');
        }
        return {
          id: user.id,
          status: String(user.status),
          ...(user.transitioningToStatus
            ? { transitioningToStatus: String(user.transitioningToStatus) }
            : {}),
          profile: { ...(user.profile ?? {}) } as Record<string, unknown>,
        };
      } catch (err) {
        const error = toOktaError(err, `GET user ${userId}`);
        if (error instanceof OktaPermanentError && error.kind === 'not-found') return null;
        throw error;
      }
    },

    async listUserGroupIds(userId) {
      requireOktaId(userId, 'user');
      try {
        const ids: string[] = [];
        const groups = await client.userApi.listUserGroups({ userId });
        for await (const group of groups) if (group?.id) ids.push(group.id);
        return ids;
      } catch (err) {
        throw toOktaError(err, `GET user ${userId} groups`);
      }
    },

    async listAppLinks(userId) {
      requireOktaId(userId, 'user');
      try {
        const links: DirectoryAppLink[] = [];
        const collection = await client.userApi.listAppLinks({ userId });
        for await (const link of collection) {
          if (!link?.appInstanceId) continue;
          links.push({
            appInstanceId: link.appInstanceId,
            appAssignmentId: link.appAssignmentId,
            hidden: link.hidden,
          });
        }
        return links;
      } catch (err) {
        throw toOktaError(err, `GET user ${userId} appLinks`);
      }
    },

    async updateUserProfile(userId, profile) {
      requireOktaId(userId, 'user');
      try {
        // The SDK's model types the standard attributes only; custom and null values are sent as given.
        await client.userApi.updateUser({ userId, user: { profile: { ...profile } as never } });
      } catch (err) {
        throw toOktaError(err, `POST user ${userId} profile`);
      }
    },

    async assignUser(appId, userId, userName) {
      requireOktaId(appId, 'app');
      requireOktaId(userId, 'user');
      try {
        const appUser = await client.applicationApi.assignUserToApplication({
          appId,
          appUser: {
            id: userId,
            scope: 'USER',
            ...(userName === undefined ? {} : { credentials: { userName } }),
          },
        });
        return appUser?.credentials?.userName ?? undefined;
      } catch (err) {
        throw toOktaError(err, `assign user ${userId} to app ${appId}`);
      }
    },

    async getAppUserName(appId, userId) {
      requireOktaId(appId, 'app');
      requireOktaId(userId, 'user');
      try {
        const appUser = await client.applicationApi.getApplicationUser({ appId, userId });
        return appUser.credentials?.userName ?? null;
      } catch (err) {
        const error = toOktaError(err, `GET app user ${userId} of app ${appId}`);
        if (error instanceof OktaPermanentError && error.kind === 'not-found') return null;
        throw error;
      }
    },

    async getAppUserNameTemplate(appId) {
      requireOktaId(appId, 'app');
      try {
        const app = await client.applicationApi.getApplication({ appId });
        return effectiveUserNameTemplate(undefined, app as unknown as Record<string, unknown>);
      } catch (err) {
        throw toOktaError(err, `GET app ${appId}`);
      }
    },

    async readIdentityTrail(userId, appId) {
      requireOktaId(userId, 'user');
      return readIdentityTrail(client, userId, appId);
    },

    async unassignUser(appId, userId) {
      requireOktaId(appId, 'app');
      requireOktaId(userId, 'user');
      try {
        await client.applicationApi.unassignUserFromApplication({ appId, userId });
        return 'removed';
      } catch (err) {
        const error = toOktaError(err, `unassign user ${userId} from app ${appId}`);
        if (error.errorCode === 'E0000046') return 'held-by-group';
        if (error instanceof OktaPermanentError && error.kind === 'not-found') {
          // E0000007 answers both for a user who is not assigned and for a missing app; only the code is a
          // contract, so ask for the app (its own, larger bucket): a missing app is a configuration problem.
          if (await appExists(appId)) return 'not-assigned';
        }
        throw error;
      }
    },
  };
}
