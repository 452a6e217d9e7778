import { CursorStoreError } from '../domain/errors';
import type { LocalDatabase } from './database';

/** The System Log cursor in the embedded store (`catchup_cursor`, one row): it survives a restart of `serve`. */
/** The catch-up's cursor store (src/catchup/cursor-store.ts) in serve's database. */
export function sqliteCursorStore(db: LocalDatabase): {
  /** The saved `next` URL and when it was saved (src/catchup/cursor-store.ts `SavedCursor`). */
  get(): Promise<{ url: string; savedAt: string | undefined } | undefined>;
  save(cursor: string): Promise<void>;
} {
  const get = db.prepare('SELECT next_url AS url, saved_at AS savedAt FROM catchup_cursor WHERE id = 1');
  const put = db.prepare(
    `INSERT INTO catchup_cursor (id, next_url, saved_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET next_url = excluded.next_url, saved_at = excluded.saved_at`,
  );
  return {
    get: async () => {
      try {
        const row = get.get() as { url: string; savedAt: string | null } | undefined;
        return row && { url: row.url, savedAt: row.savedAt ?? undefined };
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
