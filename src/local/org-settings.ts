import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, type AppSettings } from '../config/env';
import { resolvePolicy, type PolicyInput } from '../domain/policy';

export type OrgSettingsOverrides = Partial<Omit<AppSettings, 'appId' | 'policy'>> & {
  /** Policy fields other than the groups (which come from `target`); the rest keep their defaults. */
  policy?: Omit<PolicyInput, 'groupIds'>;
};

/**
 * Settings for running the local runtime against an org known by URL and SSWS token (the emulator in `npm start`,
 * the benchmark and the integration tests): the documented defaults (read through `loadSettings`, so they are
 * the environment's own), a fresh random hook secret, no backstop timer and no catch-up poll, an ephemeral port,
 * and a scratch data directory (the org is usually as new as the queue should be).
 */
export function settingsForOrg(
  org: { url: string; token: string },
  target: { groupId: string; groupIds?: readonly string[]; appId: string; realmSid?: string },
  overrides: OrgSettingsOverrides = {},
): AppSettings & { appId: string } {
  const { policy, ...rest } = overrides;
  const settings = loadSettings({
    OKTA_ORG_URL: org.url,
    OKTA_API_TOKEN: org.token,
    FRONTLINE_GROUP_ID: target.groupId,
    FRONTLINE_APP_ID: target.appId,
    ...(target.realmSid ? { FRONTLINE_REALM_SID: target.realmSid } : {}),
    OKTA_HOOK_SECRET: randomBytes(24).toString('base64url'),
    PORT: '0',
    FRONTLINE_RECONCILE_INTERVAL: '0',
    FRONTLINE_CATCHUP_INTERVAL: '0',
    FRONTLINE_DATA_DIR: overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'frontline-data-')),
  });
  return {
    ...settings,
    policy: resolvePolicy({
      ...settings.policy,
      ...policy,
      groupIds: [target.groupId, ...(target.groupIds ?? [])],
    }),
    ...rest,
    appId: target.appId,
  };
}
