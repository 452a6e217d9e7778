import { readFileSync } from 'node:fs';
import { LocalStoreError } from './errors';
import type { LocalDatabase } from './database';

const IMPORT_MARK = 'imported-state-file';

/**
 * The app guard's confirmed certificates (src/app-guard/fingerprint-store.ts) in serve's database, each with the IdP
 * issuer recorded beside it (`idp_issuer`; NULL in rows from before it, i.e. not known).
 */
export function sqliteFingerprintStore(db: LocalDatabase): {
  get(appId: string): Promise<string | undefined>;
  getIdpIssuer(appId: string): Promise<string | undefined>;
  confirm(appId: string, fingerprint: string, now: Date, idpIssuer?: string): Promise<void>;
  readonly writable: boolean;
} {
  addIssuerColumn(db);
  const get = db.prepare(
    'SELECT fingerprint_sha256 AS f, idp_issuer AS issuer FROM certificates WHERE app_id = ?',
  );
  const put = db.prepare(
    `INSERT INTO certificates (app_id, fingerprint_sha256, confirmed_at, idp_issuer) VALUES (?, ?, ?, ?)
     ON CONFLICT (app_id) DO UPDATE SET fingerprint_sha256 = excluded.fingerprint_sha256,
       confirmed_at = excluded.confirmed_at, idp_issuer = excluded.idp_issuer`,
  );
  const row = (appId: string) => get.get(appId) as { f: string; issuer: string | null } | undefined;
  return {
    writable: true,
    get: async (appId) => row(appId)?.f,
    getIdpIssuer: async (appId) => row(appId)?.issuer ?? undefined,
    confirm: async (appId, fingerprint, now, idpIssuer) => {
      put.run(appId, fingerprint, now.toISOString(), idpIssuer ?? null);
    },
  };
}

/** A database made before the issuer was recorded: add the column (existing rows keep NULL, not known). */
function addIssuerColumn(db: LocalDatabase): void {
  const columns = db.prepare('PRAGMA table_info(certificates)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'idp_issuer'))
    db.exec('ALTER TABLE certificates ADD COLUMN idp_issuer TEXT');
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
  let certificates: Record<
    string,
    { fingerprintSha256?: unknown; confirmedAt?: unknown; idpIssuer?: unknown }
  >;
  try {
    certificates =
      (JSON.parse(text) as { certificates?: typeof certificates }).certificates ??
      ({} as typeof certificates);
  } catch (err) {
    throw new LocalStoreError(`state file ${path} is not JSON; fix or delete it`, { cause: err });
  }
  addIssuerColumn(db);
  const put = db.prepare(
    'INSERT OR IGNORE INTO certificates (app_id, fingerprint_sha256, confirmed_at, idp_issuer) VALUES (?, ?, ?, ?)',
  );
  return db.transaction(() => {
    let imported = 0;
    for (const [appId, record] of Object.entries(certificates)) {
      if (typeof record?.fingerprintSha256 !== 'string') continue;
      const at = typeof record.confirmedAt === 'string' ? record.confirmedAt : new Date(0).toISOString();
      const issuer = typeof record.idpIssuer === 'string' ? record.idpIssuer : null;
      imported += put.run(appId, record.fingerprintSha256, at, issuer).changes;
    }
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
      IMPORT_MARK,
      JSON.stringify({ path, at: new Date().toISOString(), imported }),
    );
    return imported;
  })();
}
