import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AppSettings } from '../config/env';
import type { UserTypeMemory } from '../domain/user-type-memory';
import { DynamoUserTypeMemory } from '../dynamodb/user-type-memory';
import { sqliteUserTypeMemory } from '../sqlite/user-type-memory';
import { readRecordedUserType } from '../sqlite/read-user-types';
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

/**
 * Where the CLI `reconcile` records the `userType` values it overwrites, for whoever clears the role on removal: a
 * deployed stack's records table (`--records-table`, read by the Lambda worker), or serve's database. Asked for only
 * when the plan is applied (never in a dry run): opening the database creates it.
 */
export function cliUserTypeMemory(
  settings: Pick<AppSettings, 'dataDir'>,
  recordsTable: string | undefined,
): UserTypeMemory {
  return recordsTable
    ? new DynamoUserTypeMemory({ client: new DynamoDBClient({}), tableName: recordsTable })
    : sqliteUserTypeMemory(openLocalDatabase(settings.dataDir));
}

/**
 * How `explain` reads the role recorded for a user, never creating state: a deployed stack's records table
 * (`--records-table`), or serve's database when there is one.
 */
export function recordedUserTypeReader(
  dataDir: string,
  recordsTable: string | undefined,
): (userId: string) => Promise<string | undefined> {
  if (recordsTable) {
    const memory = new DynamoUserTypeMemory({ client: new DynamoDBClient({}), tableName: recordsTable });
    return (userId) => memory.recall(userId);
  }
  return async (userId) => readRecordedUserType(dataDir, userId);
}
