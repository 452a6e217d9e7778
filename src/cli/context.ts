import { existsSync } from 'node:fs';
import type { Client } from '@okta/okta-sdk-nodejs';
import { loadSettings, type AppSettings, type LoadOptions } from '../config/env';
import { appRulesFor, DEFAULT_APP_LABEL, type AppConfigRules } from '../domain/app-config';
import { createOktaClient } from '../okta/client';
import { createGuardDirectory } from '../okta/guard-directory';
import { RateGovernor } from '../okta/rate-governor';
import { AppGuardError } from '../app-guard/check';
import type { GuardDirectory } from '../app-guard/okta-port';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sqliteFingerprintStore, importStateFileOnce } from '../sqlite/fingerprint-store';
import { databasePath, openLocalDatabase } from '../sqlite/database';
import { dynamoFingerprintStore } from '../dynamodb/certificate-store';
import { fileFingerprintStore, type FingerprintStore } from '../app-guard/fingerprint-store';

/**
 * What the guard's CLI commands share: settings from the environment (same variables as `serve`), one Okta client
 * paced by a rate governor (waits up to a bucket's reset, like an operator would), the rules, the state file.
 */
export interface GuardContext {
  settings: AppSettings;
  /** For the worker's port (the reconcile's writes) and the event hook API. */
  client: Client;
  /** The guard's port over `client`. */
  okta: GuardDirectory;
  label: string;
  fingerprints: FingerprintStore;
  /** Where `fingerprints` lives, for messages: the local database's path or the records table's name. */
  stateFile: string;
  /** Whether that place exists (the records table, or a local database): recording there creates nothing new. */
  fingerprintsStored: () => boolean;
}

export interface GuardContextOptions extends LoadOptions {
  label?: string | undefined;
  /**
   * A deployed stack's records table (its `RecordsTableName` output): the certificate baseline is read from and
   * confirmed into it, so the scheduled reconcile sees a confirmation without a deploy. Uses the AWS credentials
   * of the environment. Without it, the local database in FRONTLINE_DATA_DIR (the one `serve` uses).
   */
  recordsTable?: string | undefined;
}

/**
 * The confirmed certificates: the records table when one is named, else the local SQLite store, into which an
 * existing FRONTLINE_STATE_FILE is imported once (later edits of the file are not read again).
 */
function fingerprintStoreFor(
  settings: AppSettings,
  recordsTable: string | undefined,
): { fingerprints: FingerprintStore; where: string; stored: () => boolean } {
  if (recordsTable) {
    return {
      fingerprints: dynamoFingerprintStore({ client: new DynamoDBClient({}), tableName: recordsTable }),
      where: `the records table ${recordsTable}`,
      stored: () => true,
    };
  }
  // Read-only commands never create state: the database is opened on first use and only once it exists; until
  // then a read answers from the state file it would import, and only `confirm` (setup, check
  // --confirm-certificate) creates it.
  const path = databasePath(settings.dataDir);
  let store: FingerprintStore | undefined;
  const stored = (): boolean => store !== undefined || existsSync(path);
  const local = (): FingerprintStore => {
    if (!store) {
      const db = openLocalDatabase(settings.dataDir);
      importStateFileOnce(db, settings.stateFile);
      store = sqliteFingerprintStore(db);
    }
    return store;
  };
  return {
    fingerprints: {
      get: (appId) => (stored() ? local().get(appId) : fileFingerprintStore(settings.stateFile).get(appId)),
      getIdpIssuer: (appId) =>
        stored()
          ? (local().getIdpIssuer?.(appId) ?? Promise.resolve(undefined))
          : (fileFingerprintStore(settings.stateFile).getIdpIssuer?.(appId) ?? Promise.resolve(undefined)),
      confirm: (appId, fingerprint, now, idpIssuer) => local().confirm(appId, fingerprint, now, idpIssuer),
      writable: true,
    },
    where: path,
    stored,
  };
}

export function createGuardContext(env: NodeJS.ProcessEnv, options: GuardContextOptions): GuardContext {
  const settings = loadSettings(env, { requireHookSecret: false, ...options });
  const client = createOktaClient({
    orgUrl: settings.orgUrl,
    credentials: settings.credentials,
    maxRateLimitRetries: 3,
    governor: new RateGovernor({ maxInlineWaitMs: 70_000 }),
  });
  const { fingerprints, where, stored } = fingerprintStoreFor(settings, options.recordsTable);
  return {
    settings,
    client,
    okta: createGuardDirectory(client),
    label: options.label ?? settings.appLabel ?? DEFAULT_APP_LABEL,
    fingerprints,
    stateFile: where,
    fingerprintsStored: stored,
  };
}

export function rulesOf(ctx: GuardContext): AppConfigRules {
  if (!ctx.settings.realmSid) {
    throw new AppGuardError('FRONTLINE_REALM_SID is required (Frontline console > Manage > SSO/Log in)');
  }
  return appRulesFor(ctx.settings.realmSid, ctx.settings.policy, ctx.label);
}

/** FRONTLINE_APP_ID, or the one app with the configured label. */
export async function resolveAppId(
  okta: GuardDirectory,
  settings: AppSettings,
  label: string,
): Promise<string> {
  if (settings.appId) return settings.appId;
  const found = await okta.findAppsByLabel(label);
  if (found.length === 1 && found[0]) return String(found[0].id);
  throw new AppGuardError(
    found.length === 0
      ? `no app labelled "${label}"; run \`npm run cli -- setup\` or set FRONTLINE_APP_ID`
      : `${found.length} apps are labelled "${label}"; set FRONTLINE_APP_ID`,
  );
}
