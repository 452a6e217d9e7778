import { OktaPermanentError } from './errors';
import { oktaJson, type RawOktaClient } from './http';

/*
 * Group assignments to an app (Okta Application Groups API: `GET/PUT /api/v1/apps/{appId}/groups/{groupId}`), for
 * group mode: Okta then assigns the group's members to the app itself and unassigns leavers.
 */

const enc = encodeURIComponent;

/** True when the group is assigned to the app; false when Okta answers 404 (not assigned). */
export async function isGroupAssignedToApp(
  client: RawOktaClient,
  appId: string,
  groupId: string,
): Promise<boolean> {
  try {
    await oktaJson(
      client,
      `/api/v1/apps/${enc(appId)}/groups/${enc(groupId)}`,
      `GET group ${groupId} of app ${appId}`,
    );
    return true;
  } catch (err) {
    if (err instanceof OktaPermanentError && err.kind === 'not-found') return false;
    throw err;
  }
}

/**
 * Assigns the group to the app. A PUT: repeating it for an assigned group answers 200 and keeps the assignment, so
 * it is safe to retry. No body fields: priority and profile stay Okta's defaults (the app carries no app-user
 * profile this tool relies on).
 */
export async function assignGroupToApp(client: RawOktaClient, appId: string, groupId: string): Promise<void> {
  await oktaJson(
    client,
    `/api/v1/apps/${enc(appId)}/groups/${enc(groupId)}`,
    `assign group ${groupId} to app ${appId}`,
    {
      method: 'PUT',
      body: {},
    },
  );
}
