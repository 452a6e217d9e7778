import {
  nextIdentityRecord,
  type IdentityRecord,
  type IdentityStore,
  IdentityStoreError,
} from '../domain/identity-record';
import type { LocalDatabase } from './database';

/*
 * The identities table lives in the same database as the queue (FRONTLINE_DATA_DIR/frontline.db), so a record
 * survives restarts like the work it belongs to. Created here, not in store.ts's schema, so the feature's table is
 * owned by its adapter.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS identities (
  user_id TEXT PRIMARY KEY,
  identity TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  previous TEXT
);
`;

export interface IdentityRow {
  user_id: string;
  identity: string;
  recorded_at: string;
  /** JSON array of older identities, or NULL (or absent in a database made before identity history). */
  previous?: string | null;
}

type Row = IdentityRow;

export function identityRecordOfRow(r: IdentityRow): IdentityRecord {
  const previous = r.previous ? (JSON.parse(r.previous) as unknown) : undefined;
  return {
    userId: r.user_id,
    identity: r.identity,
    recordedAt: r.recorded_at,
    ...(Array.isArray(previous) && previous.length > 0 ? { previous: previous.map(String) } : {}),
  };
}

/** The Frontline identity of every onboarded user, in the embedded store (the local twin of DynamoIdentityStore). */
export function sqliteIdentityStore(db: LocalDatabase, now: () => Date = () => new Date()): IdentityStore {
  try {
    db.exec(SCHEMA);
    // A database made before identity history: add the column (existing rows keep NULL, i.e. no history).
    const columns = db.prepare('PRAGMA table_info(identities)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'previous'))
      db.exec('ALTER TABLE identities ADD COLUMN previous TEXT');
  } catch (error) {
    throw new IdentityStoreError(`cannot create the identities table: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const put = db.prepare(
    `INSERT INTO identities (user_id, identity, recorded_at, previous) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET identity = excluded.identity, recorded_at = excluded.recorded_at,
       previous = excluded.previous`,
  );
  const get = db.prepare('SELECT user_id, identity, recorded_at, previous FROM identities WHERE user_id = ?');
  const all = db.prepare('SELECT user_id, identity, recorded_at, previous FROM identities ORDER BY user_id');
  const toRecord = identityRecordOfRow;
  // Read and write in one transaction: the worker and the backstop may record the same user.
  const recordTx = db.transaction((userId: string, identity: string, at: string) => {
    const row = get.get(userId) as Row | undefined;
    const next = nextIdentityRecord(row ? toRecord(row) : undefined, userId, identity, at);
    put.run(userId, identity, at, next.previous ? JSON.stringify(next.previous) : null);
  });
  const guarded = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw new IdentityStoreError(`${what} failed: ${(error as Error).message}`, { cause: error });
    }
  };
  // The install-day record writes a page of app users at once: one commit (one fsync) instead of one per user.
  const recordManyTx = db.transaction(
    (entries: readonly { userId: string; identity: string }[], at: string) => {
      for (const e of entries) recordTx(e.userId, e.identity, at);
    },
  );
  return {
    record: async (userId, identity) => {
      guarded(`recording the Frontline identity of ${userId}`, () =>
        recordTx(userId, identity, now().toISOString()),
      );
    },
    recordMany: async (entries) => {
      guarded(`recording ${entries.length} Frontline identities`, () =>
        recordManyTx(entries, now().toISOString()),
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
