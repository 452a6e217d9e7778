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
import { generateAppKey } from './app-keys';
import { OktaError, OktaPermanentError } from './errors';
import { deleteFederatedClaim, listFederatedClaims, replaceFederatedClaim } from './federated-claims';
import type { FederatedClaim } from '../domain/federated-claims';
import type { RawApp } from '../domain/okta-app';
import { oktaJson, type RawOktaClient } from './http';
import { listGroupMembers } from './members';
import { getMetadataXml, parseIdpMetadata } from './saml-metadata';

/**
 * The app guard's and the reconcile's Okta port (src/app-guard/okta-port.ts; matched by shape, so this adapter
 * imports no feature) over raw HTTP through the SDK client (its request executor: rate governor, 429 retries).
 */
export function createGuardDirectory(client: RawOktaClient) {
  return {
    getApp: (appId: string) => getAppRaw(client, appId),
    replaceApp: (appId: string, app: RawApp) => replaceAppRaw(client, appId, app),
    createApp: (app: RawApp) => createAppRaw(client, app),
    activateApp: (appId: string) => activateApp(client, appId),
    findAppsByLabel: (label: string) => findAppsByLabel(client, label),
    listAppKeys: (appId: string) => listAppKeys(client, appId),
    listFederatedClaims: (appId: string) => listFederatedClaims(client, appId),
    replaceFederatedClaim: (appId: string, claim: FederatedClaim) =>
      replaceFederatedClaim(client, appId, claim),
    deleteFederatedClaim: (appId: string, claimId: string) => deleteFederatedClaim(client, appId, claimId),
    generateAppKey: (appId: string, validityYears: number) => generateAppKey(client, appId, validityYears),
    getIdpMetadata: async (appId: string, kid: string) =>
      parseIdpMetadata(await getMetadataXml(client, appId, kid)),
    listGroupMembers: (groupId: string) => listGroupMembers(client, groupId),
    listAppUsers: (appId: string) => listAppUsers(client, appId),
    updateAppUserName: (appId: string, userId: string, userName: string) =>
      updateAppUserName(client, appId, userId, userName),
    isGroupAssignedToApp: (appId: string, groupId: string) => isGroupAssignedToApp(client, appId, groupId),
    assignGroupToApp: (appId: string, groupId: string) => assignGroupToApp(client, appId, groupId),
    async getSelfUserId(): Promise<string | undefined> {
      try {
        const me = await oktaJson<{ id?: unknown }>(client, '/api/v1/users/me', 'GET user me');
        return typeof me?.id === 'string' ? me.id : undefined;
      } catch (err) {
        // A service app (OAuth) has no user behind it: Okta answers a 4xx, and there is no one to protect. A 429,
        // a 5xx or an answer that isn't Okta's is no such answer, and is thrown like any other failure.
        const status = err instanceof OktaError ? err.status : undefined;
        const oktas =
          err instanceof OktaPermanentError || (err instanceof OktaError && Boolean(err.errorCode));
        if (oktas && status !== undefined && status >= 400 && status < 500 && status !== 429)
          return undefined;
        throw err;
      }
    },
    async getUserType(userId: string): Promise<string | null | 'missing'> {
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

export type GuardDirectoryAdapter = ReturnType<typeof createGuardDirectory>;

/** The port from either the adapter itself or an SDK client (tests hold either). */
export function guardDirectoryOf(source: GuardDirectoryAdapter | RawOktaClient): GuardDirectoryAdapter {
  return 'getApp' in source ? source : createGuardDirectory(source);
}
