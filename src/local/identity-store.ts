import { IdentityStoreError } from '../frontline/errors';
import type { IdentityRecord, IdentityStore } from '../frontline/identity-store';
import type { LocalDatabase } from './store';

/*
 * The identities table lives in the same database as the queue (FRONTLINE_DATA_DIR/frontline.db), so a record
 * survives restarts like the work it belongs to. Created here, not in store.ts's schema, so the feature's table is
 * owned by its adapter.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS identities (
  user_id TEXT PRIMARY KEY,
  identity TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
`;

interface Row {
  user_id: string;
  identity: string;
  recorded_at: string;
}

/** The Frontline identity of every onboarded user, in the embedded store (the local twin of DynamoIdentityStore). */
export function sqliteIdentityStore(db: LocalDatabase, now: () => Date = () => new Date()): IdentityStore {
  try {
    db.exec(SCHEMA);
  } catch (error) {
    throw new IdentityStoreError(`cannot create the identities table: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const put = db.prepare(
    `INSERT INTO identities (user_id, identity, recorded_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET identity = excluded.identity, recorded_at = excluded.recorded_at`,
  );
  const get = db.prepare('SELECT user_id, identity, recorded_at FROM identities WHERE user_id = ?');
  const all = db.prepare('SELECT user_id, identity, recorded_at FROM identities ORDER BY user_id');
  const toRecord = (r: Row): IdentityRecord => ({
    userId: r.user_id,
    identity: r.identity,
    recordedAt: r.recorded_at,
  });
  const guarded = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw new IdentityStoreError(`${what} failed: ${(error as Error).message}`, { cause: error });
    }
  };
  return {
    record: async (userId, identity) => {
      guarded(`recording the Frontline identity of ${userId}`, () =>
        put.run(userId, identity, now().toISOString()),
      );
    },
    get: async (userId) => {
      const row = guarded(
        `reading the Frontline identity of ${userId}`,
        () => get.get(userId) as Row | undefined,
      );
      return row ? toRecord(row) : undefined;
    },
    listAll: async () =>
      guarded('listing the Frontline identities', () => (all.all() as Row[]).map(toRecord)),
  };
}
