import { readFileSync } from 'node:fs';
import { LocalStoreError } from './errors';
import type { LocalDatabase } from './database';

const IMPORT_MARK = 'imported-state-file';

/** The certificate fingerprints an operator confirmed, kept in the embedded store (`certificates` table). */
/** The app guard's confirmed certificates (src/app-guard/fingerprint-store.ts) in serve's database. */
export function sqliteFingerprintStore(db: LocalDatabase): {
  get(appId: string): Promise<string | undefined>;
  confirm(appId: string, fingerprint: string, now: Date): Promise<void>;
  readonly writable: boolean;
} {
  const get = db.prepare('SELECT fingerprint_sha256 AS f FROM certificates WHERE app_id = ?');
  const put = db.prepare(
    `INSERT INTO certificates (app_id, fingerprint_sha256, confirmed_at) VALUES (?, ?, ?)
     ON CONFLICT (app_id) DO UPDATE SET fingerprint_sha256 = excluded.fingerprint_sha256, confirmed_at = excluded.confirmed_at`,
  );
  return {
    writable: true,
    get: async (appId) => (get.get(appId) as { f: string } | undefined)?.f,
    confirm: async (appId, fingerprint, now) => {
      put.run(appId, fingerprint, now.toISOString());
    },
  };
}

/**
 * Imports the certificates of a `.frontline-state.json` (the format `fileFingerprintStore` writes) once: the
 * database remembers that it did, so later edits of the file don't overwrite what was confirmed since. Returns how
 * many were imported; a missing file imports nothing and is not remembered (it may appear later).
 */
export function importStateFileOnce(db: LocalDatabase, path: string): number {
  if (db.prepare('SELECT 1 FROM meta WHERE key = ?').get(IMPORT_MARK)) return 0;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw new LocalStoreError(`cannot read state file ${path}`, { cause: err });
  }
  let certificates: Record<string, { fingerprintSha256?: unknown; confirmedAt?: unknown }>;
  try {
    certificates =
      (JSON.parse(text) as { certificates?: typeof certificates }).certificates ??
      ({} as typeof certificates);
  } catch (err) {
    throw new LocalStoreError(`state file ${path} is not JSON; fix or delete it`, { cause: err });
  }
  const put = db.prepare(
    'INSERT OR IGNORE INTO certificates (app_id, fingerprint_sha256, confirmed_at) VALUES (?, ?, ?)',
  );
  return db.transaction(() => {
    let imported = 0;
    for (const [appId, record] of Object.entries(certificates)) {
      if (typeof record?.fingerprintSha256 !== 'string') continue;
      const at = typeof record.confirmedAt === 'string' ? record.confirmedAt : new Date(0).toISOString();
      imported += put.run(appId, record.fingerprintSha256, at).changes;
    }
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
      IMPORT_MARK,
      JSON.stringify({ path, at: new Date().toISOString(), imported }),
    );
    return imported;
  })();
}
