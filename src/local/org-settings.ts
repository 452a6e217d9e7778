import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HTTP_LIMITS, type AppSettings } from '../config/env';
import { DEFAULT_USERNAME_TEMPLATE } from '../domain/username-template';

/**
 * Settings for running the local runtime against an org known by URL and SSWS token (the emulator in `npm start`,
 * the benchmark and the integration tests), with the documented defaults, a fresh random hook secret, no backstop
 * timer, and a scratch data directory (the org is usually as new as the queue should be).
 */
export function settingsForOrg(
  org: { url: string; token: string },
  target: { groupId: string; appId: string; realmSid?: string },
  overrides: Partial<Omit<AppSettings, 'appId'>> = {},
): AppSettings & { appId: string } {
  return {
    orgUrl: org.url,
    credentials: { kind: 'ssws', token: org.token },
    groupId: target.groupId,
    appId: target.appId,
    realmSid: target.realmSid,
    hookSecret: randomBytes(24).toString('base64url'),
    hookSecretPrevious: undefined,
    hookAuthHeader: 'Authorization',
    port: 0,
    host: '127.0.0.1',
    userNameTemplate: DEFAULT_USERNAME_TEMPLATE,
    clearUserTypeOnRemoval: false,
    pruneUnmanaged: false,
    maxReceives: 20,
    retryBaseSeconds: 5,
    retryMaxSeconds: 300,
    dataDir: overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'frontline-data-')),
    reconcileIntervalSeconds: 0,
    catchupIntervalSeconds: 0,
    catchupLookbackSeconds: 900,
    drainTimeoutSeconds: 10,
    http: DEFAULT_HTTP_LIMITS,
    appLabel: undefined,
    stateFile: '.frontline-state.json',
    ...overrides,
  };
}
