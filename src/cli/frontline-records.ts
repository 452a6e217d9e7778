import type { AppSettings } from '../config/env';
import { loadFrontlineConfig } from '../twilio/config';
import { createFetchFrontlineUsers } from '../twilio/fetch-users';
import { openLocalDatabase } from '../sqlite/database';
import { sqliteIdentityStore } from '../sqlite/identity-store';
import type { IdentityRecordDeps } from '../reconcile/record-identities';

/**
 * Where the CLI `reconcile` records the app users' Frontline identities: serve's database in FRONTLINE_DATA_DIR,
 * when Frontline offboarding is on (the same TWILIO_* variables as serve; src/twilio/config.ts). Undefined when it
 * is off. Opening the database creates it: only a run that may write asks for this (never a dry run).
 */
export function cliIdentityRecords(
  env: NodeJS.ProcessEnv,
  settings: Pick<AppSettings, 'dataDir'>,
): IdentityRecordDeps | undefined {
  const config = loadFrontlineConfig(env);
  if (!config.enabled) return undefined;
  const users = createFetchFrontlineUsers({ apiUrl: config.apiUrl, credentials: config.credentials });
  const identities = sqliteIdentityStore(openLocalDatabase(settings.dataDir));
  return { users: async () => users, identities };
}
