import { CursorStoreError } from '../domain/errors';
import type { LocalDatabase } from './database';

/** The System Log cursor in the embedded store (`catchup_cursor`, one row): it survives a restart of `serve`. */
/** The catch-up's cursor store (src/catchup/cursor-store.ts) in serve's database. */
export function sqliteCursorStore(db: LocalDatabase): {
  get(): Promise<string | undefined>;
  save(cursor: string): Promise<void>;
} {
  const get = db.prepare('SELECT next_url AS url FROM catchup_cursor WHERE id = 1');
  const put = db.prepare(
    `INSERT INTO catchup_cursor (id, next_url, saved_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET next_url = excluded.next_url, saved_at = excluded.saved_at`,
  );
  return {
    get: async () => {
      try {
        return (get.get() as { url: string } | undefined)?.url;
      } catch (err) {
        throw new CursorStoreError('cannot read the catch-up cursor from the local database', { cause: err });
      }
    },
    save: async (cursor) => {
      try {
        put.run(cursor, new Date().toISOString());
      } catch (err) {
        throw new CursorStoreError('cannot save the catch-up cursor to the local database', { cause: err });
      }
    },
  };
}
