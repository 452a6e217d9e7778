import { type UserTypeMemory, UserTypeMemoryError } from '../domain/user-type-memory';
import type { LocalDatabase } from './database';

/*
 * In the same database as the queue (FRONTLINE_DATA_DIR/frontline.db): a recorded role survives restarts like the
 * work that will put it back. Created here, so the feature's table is owned by its adapter.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS user_types (
  user_id TEXT PRIMARY KEY,
  user_type TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
`;

/**
 * Overwritten roles in the embedded store (the local twin of DynamoUserTypeMemory). The table is made on first use,
 * not at start: serve starts (and answers 503) on a full disk, and a failed first use is retried like any write.
 */
export function sqliteUserTypeMemory(db: LocalDatabase, now: () => Date = () => new Date()): UserTypeMemory {
  const guarded = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw new UserTypeMemoryError(`${what} failed: ${(error as Error).message}`, { cause: error });
    }
  };
  let statements: ReturnType<typeof prepare> | undefined;
  const prepare = () => {
    db.exec(SCHEMA);
    return {
      put: db.prepare(
        `INSERT INTO user_types (user_id, user_type, recorded_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET user_type = excluded.user_type, recorded_at = excluded.recorded_at`,
      ),
      get: db.prepare('SELECT user_type FROM user_types WHERE user_id = ?'),
      drop: db.prepare('DELETE FROM user_types WHERE user_id = ?'),
    };
  };
  const use = <T>(what: string, fn: (s: ReturnType<typeof prepare>) => T): T =>
    guarded(what, () => fn((statements ??= prepare())));
  return {
    remember: async (userId, previous) => {
      use(`recording the userType of ${userId}`, ({ put, drop }) =>
        previous === undefined ? drop.run(userId) : put.run(userId, previous, now().toISOString()),
      );
    },
    recall: async (userId) =>
      use(
        `reading the recorded userType of ${userId}`,
        ({ get }) => (get.get(userId) as { user_type: string } | undefined)?.user_type,
      ),
    forget: async (userId) => {
      use(`forgetting the recorded userType of ${userId}`, ({ drop }) => drop.run(userId));
    },
  };
}
