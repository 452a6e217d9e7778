import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { databasePath } from './database';

/**
 * The `userType` serve recorded for a user before overwriting it (./user-type-memory.ts), read without changing the
 * database or creating it: undefined when there is no database, no table yet, or no record. For `explain`.
 */
export function readRecordedUserType(dataDir: string, userId: string): string | undefined {
  const path = databasePath(dataDir);
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'user_types'")
      .get();
    if (!table) return undefined;
    const row = db.prepare('SELECT user_type FROM user_types WHERE user_id = ?').get(userId) as
      { user_type: string } | undefined;
    return row?.user_type;
  } finally {
    db.close();
  }
}
