import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { IdentityRecord } from '../domain/identity-record';
import { databasePath } from './database';
import { identityRecordOfRow, type IdentityRow } from './identity-store';

/**
 * serve's identity records, read without changing the database (or creating it when there is none): undefined when
 * there is no database or no identities table yet. For `check` and `status`, which never write.
 */
export function readIdentityRecords(dataDir: string): IdentityRecord[] | undefined {
  const path = databasePath(dataDir);
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'identities'")
      .get();
    if (!table) return undefined;
    const rows = db.prepare('SELECT * FROM identities').all() as IdentityRow[];
    return rows.map(identityRecordOfRow);
  } finally {
    db.close();
  }
}
