import type { GuardDirectory } from '../app-guard/okta-port';
import {
  activateApp,
  createAppRaw,
  findAppsByLabel,
  getAppRaw,
  listAppKeys,
  listAppUsers,
  replaceAppRaw,
  updateAppUserName,
} from './apps';
import { assignGroupToApp, isGroupAssignedToApp } from './app-groups';
import { OktaPermanentError } from './errors';
import { oktaJson, type RawOktaClient } from './http';
import { listGroupMembers } from './members';
import { getMetadataXml, parseIdpMetadata } from './saml-metadata';

/** The guard's port over raw HTTP through the SDK client (its request executor: rate governor, 429 retries). */
export function createGuardDirectory(client: RawOktaClient): GuardDirectory {
  return {
    getApp: (appId) => getAppRaw(client, appId),
    replaceApp: (appId, app) => replaceAppRaw(client, appId, app),
    createApp: (app) => createAppRaw(client, app),
    activateApp: (appId) => activateApp(client, appId),
    findAppsByLabel: (label) => findAppsByLabel(client, label),
    listAppKeys: (appId) => listAppKeys(client, appId),
    getIdpMetadata: async (appId, kid) => parseIdpMetadata(await getMetadataXml(client, appId, kid)),
    listGroupMembers: (groupId) => listGroupMembers(client, groupId),
    listAppUsers: (appId) => listAppUsers(client, appId),
    updateAppUserName: (appId, userId, userName) => updateAppUserName(client, appId, userId, userName),
    isGroupAssignedToApp: (appId, groupId) => isGroupAssignedToApp(client, appId, groupId),
    assignGroupToApp: (appId, groupId) => assignGroupToApp(client, appId, groupId),
    async getUserType(userId) {
      try {
        const raw = await oktaJson<{ profile?: Record<string, unknown> }>(
          client,
          `/api/v1/users/${encodeURIComponent(userId)}`,
          `GET user ${userId}`,
        );
        const userType = raw?.profile?.userType;
        return typeof userType === 'string' ? userType : null;
      } catch (err) {
        if (err instanceof OktaPermanentError && err.kind === 'not-found') return 'missing';
        throw err;
      }
    },
  };
}

/**
 * The port, from either the port itself or an SDK client. Only for entry points still called with a client from
 * files outside this change (src/guard/lambda-handler.ts, src/local/app-check.ts, lambdas/okta-bootstrap.ts);
 * remove once they pass a GuardDirectory.
 */
export function guardDirectoryOf(source: GuardDirectory | RawOktaClient): GuardDirectory {
  return 'getApp' in source ? source : createGuardDirectory(source);
}
