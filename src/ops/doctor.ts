import type { Client } from '@okta/okta-sdk-nodejs';
import { loadSettings, SettingsError, type AppSettings } from '../config/env';
import { DEFAULT_APP_LABEL } from '../domain/app-config';
import { createOktaClient, type OktaCredentials } from '../okta/client';
import { OktaPermanentError } from '../okta/errors';
import { listEventHooks } from '../okta/event-hooks';
import { oktaJson } from '../okta/http';
import { isGroupAssignedToApp } from '../okta/app-groups';
import { orgUrlProblems } from './org-url';
import { rateLimitShareCheck } from './rate-limit-share';
import { checkReceiver } from './receiver-check';

/*
 * `doctor`: the preflight before a deploy or after a change. Each check gives one line; a failed one says what
 * to change. Read-only: nothing in Okta is written (the receiver check only sends a verification challenge, to the
 * URL given and nowhere else: ./receiver-check.ts).
 */

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** What was found; for a failed check, the problem and what to change. */
  message: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
}

/** The scopes each feature needs (a service app's token must be granted them; an API token's admin covers them). */
export const FEATURE_SCOPES: ReadonlyArray<{ feature: string; scopes: readonly string[] }> = [
  {
    feature: 'the worker and reconcile',
    scopes: [
      'okta.users.read',
      'okta.users.manage',
      'okta.groups.read',
      'okta.apps.read',
      'okta.apps.manage',
    ],
  },
  { feature: 'hook register and status', scopes: ['okta.eventHooks.manage'] },
];

export interface DoctorOptions {
  receiverUrl?: string | undefined;
  /** @default createOktaClient */
  clientFor?: (settings: AppSettings, credentials: OktaCredentials) => Client;
}

export async function runDoctor(env: NodeJS.ProcessEnv, options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const add = (name: string, ok: boolean, message: string) => checks.push({ name, ok, message });
  const rawOrgUrl = env.OKTA_ORG_URL?.trim();
  const urlProblems = rawOrgUrl ? orgUrlProblems(rawOrgUrl) : [];
  for (const p of urlProblems) add('org URL', false, p);

  let settings: AppSettings;
  try {
    settings = loadSettings(env, { requireHookSecret: false, requireGroup: true });
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    for (const p of err.problems) add('settings', false, p);
    return { checks };
  }
  add('settings', true, 'the environment parses');
  if (urlProblems.length === 0) add('org URL', true, settings.orgUrl);
  const clientFor =
    options.clientFor ??
    ((s: AppSettings, credentials: OktaCredentials) =>
      createOktaClient({ orgUrl: s.orgUrl, credentials, maxRateLimitRetries: 1 }));

  if (settings.credentials.kind === 'private-key') {
    const credentials = settings.credentials;
    for (const { feature, scopes } of FEATURE_SCOPES) {
      const missing = scopes.filter((s) => !credentials.scopes.includes(s));
      if (missing.length > 0)
        add('scopes requested', false, `OKTA_SCOPES lacks ${missing.join(', ')} (${feature} need it)`);
    }
    const granted = await grantedScopes(settings, credentials, clientFor);
    if (granted.refused) {
      add('scopes granted', false, granted.refused);
      return { checks };
    }
    if (granted.notGranted.length > 0) {
      add(
        'scopes granted',
        false,
        `the service app ${credentials.clientId} is not granted ${granted.notGranted.join(', ')}: grant it in Okta (Applications > the app > Okta API Scopes)`,
      );
      return { checks };
    }
    add('scopes granted', true, `the service app gets a token for ${credentials.scopes.join(' ')}`);
  }

  const client = clientFor(settings, settings.credentials);
  const read = async (name: string, path: string, what: string, role: string): Promise<boolean> => {
    try {
      await oktaJson(client, path, `GET ${what}`);
      add(name, true, `can read ${what}`);
      return true;
    } catch (err) {
      if (err instanceof OktaPermanentError && err.kind === 'auth') {
        add('credentials', false, `Okta at ${settings.orgUrl} rejects the credentials: ${err.message}`);
        return false;
      }
      if (err instanceof OktaPermanentError && err.kind === 'forbidden') {
        add(
          name,
          false,
          `the credentials may not read ${what}: give the admin role ${role} (${err.message})`,
        );
        return true;
      }
      if (err instanceof OktaPermanentError && err.kind === 'not-found') {
        add(name, false, `${what} does not exist in ${settings.orgUrl}`);
        return true;
      }
      add(name, false, `reading ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      // Unreachable or failing: the later checks would only repeat it.
      return err instanceof OktaPermanentError;
    }
  };
  const { groupIds } = settings.policy;
  const variable = groupIds.length > 1 ? 'FRONTLINE_GROUP_IDS' : 'FRONTLINE_GROUP_ID';
  for (const groupId of groupIds) {
    const groupPath = `/api/v1/groups/${encodeURIComponent(groupId)}`;
    if (!(await read('group', groupPath, `group ${groupId} (${variable})`, 'access to that group'))) {
      return { checks };
    }
  }
  add(
    'credentials',
    true,
    `Okta at ${settings.orgUrl} accepts the ${settings.credentials.kind === 'ssws' ? 'API token' : 'service app'}`,
  );
  if (settings.appId) {
    const appOk = await read(
      'app',
      `/api/v1/apps/${encodeURIComponent(settings.appId)}`,
      `app ${settings.appId} (FRONTLINE_APP_ID)`,
      'access to that app',
    );
    if (appOk && settings.policy.assignmentMode === 'group') {
      for (const groupId of groupIds)
        checks.push(await groupAssignmentCheck(client, settings.appId, groupId));
    }
  } else {
    const label = settings.appLabel ?? DEFAULT_APP_LABEL;
    add(
      'app',
      true,
      `FRONTLINE_APP_ID not set: commands look for the app labelled "${label}" (serve needs the id)`,
    );
  }
  try {
    await listEventHooks(client);
    add('event hooks', true, 'can list event hooks');
  } catch (err) {
    add(
      'event hooks',
      false,
      `the credentials may not manage event hooks (okta.eventHooks.manage): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  checks.push(await rateLimitShareCheck(client, settings.credentials));
  add(
    'Realm SID',
    settings.realmSid !== undefined,
    settings.realmSid ??
      'FRONTLINE_REALM_SID is not set: setup, check and repair need it (Frontline console > Manage > SSO/Log in)',
  );
  if (options.receiverUrl) {
    checks.push(
      await checkReceiver(options.receiverUrl, {
        secret: env.OKTA_HOOK_SECRET?.trim(),
        header: settings.hookAuthHeader,
      }),
    );
  }
  return { checks };
}

async function grantedScopes(
  settings: AppSettings,
  credentials: Extract<OktaCredentials, { kind: 'private-key' }>,
  clientFor: NonNullable<DoctorOptions['clientFor']>,
): Promise<{ notGranted: string[]; refused?: string }> {
  const token = async (scopes: string[]): Promise<void> => {
    // The SDK resolves with the token endpoint's error body (invalid_scope…) as well as with a token.
    const answer = (await clientFor(settings, { ...credentials, scopes }).oauth.getAccessToken()) as {
      access_token?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (typeof answer?.access_token !== 'string') {
      throw new Error(String(answer?.error_description ?? answer?.error ?? 'no access token in the answer'));
    }
  };
  try {
    await token(credentials.scopes);
    return { notGranted: [] };
  } catch (all) {
    // Okta refuses the whole request when one scope isn't granted; asking per scope names the missing ones.
    const notGranted: string[] = [];
    for (const scope of credentials.scopes) {
      await token([scope]).catch(() => notGranted.push(scope));
    }
    if (notGranted.length < credentials.scopes.length) return { notGranted };
    const message = all instanceof Error ? all.message : String(all);
    return {
      notGranted: [],
      refused: `Okta refuses the service app's token request (client id, key id and public key in Okta must match OKTA_CLIENT_ID, OKTA_KEY_ID and OKTA_PRIVATE_KEY): ${message}`,
    };
  }
}

/**
 * Group mode's precondition, read only: Okta assigns members only once the group itself is assigned to the app. Not
 * a failure of the credentials: `setup`, `reconcile` and the scheduled runs assign it.
 */
async function groupAssignmentCheck(client: Client, appId: string, groupId: string): Promise<DoctorCheck> {
  const name = 'group assigned (group mode)';
  try {
    return (await isGroupAssignedToApp(client, appId, groupId))
      ? { name, ok: true, message: `group ${groupId} is assigned to app ${appId}: Okta assigns its members` }
      : {
          name,
          ok: false,
          message: `group ${groupId} is not assigned to app ${appId}, so no member gets the app: run \`npm run cli -- reconcile\` (or setup)`,
        };
  } catch (err) {
    return {
      name,
      ok: false,
      message: `reading the group's assignment failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
