import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { RECORD_KINDS } from '../dynamodb/keys';
import { readReconcileRun, type ReconcileRun } from './last-reconcile';
import { databasePath } from './database';
import { queueStats } from './work-queue';

/** What `serve`'s database says, read without changing it (or creating it when there is none). */
export interface LocalStatus {
  database: string;
  queued: number;
  inFlight: number;
  dead: number;
  lastReconcile: ReconcileRun | undefined;
  /** The System Log catch-up cursor, when the running version keeps one. */
  catchUp: { updatedAt: string | undefined } | undefined;
  /** The fingerprint serve has as confirmed for the app, if any. */
  confirmedFingerprint: string | undefined;
  /** The IdP issuer recorded with it, if any (none in rows from before it was recorded). */
  confirmedIdpIssuer: string | undefined;
}

export function readLocalStatus(
  dataDir: string,
  appId: string | undefined,
  now = Date.now(),
): LocalStatus | undefined {
  const path = databasePath(dataDir);
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // `*`: a database from before the issuer was recorded has no idp_issuer column, and this read adds none.
    const certificate = appId
      ? (db.prepare('SELECT * FROM certificates WHERE app_id = ?').get(appId) as
          { fingerprint_sha256: string; idp_issuer?: string | null } | undefined)
      : undefined;
    return {
      database: path,
      ...queueStats(db, now),
      lastReconcile: readReconcileRun(db),
      catchUp: readCatchUp(db),
      confirmedFingerprint: certificate?.fingerprint_sha256,
      confirmedIdpIssuer: certificate?.idp_issuer ?? undefined,
    };
  } finally {
    db.close();
  }
}

/**
 * The catch-up cursor is kept under the records layout's key (src/dynamodb/keys.ts) in `meta`. Its value's shape
 * belongs to the catch-up; only a timestamp is shown (`updatedAt`, `at` or `savedAt`), never the cursor URL.
 */
function readCatchUp(db: Database.Database): LocalStatus['catchUp'] {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(RECORD_KINDS.catchupCursor) as
    { value: string } | undefined;
  if (!row) return undefined;
  let updatedAt: string | undefined;
  try {
    const value = JSON.parse(row.value) as Record<string, unknown>;
    const at = value.updatedAt ?? value.at ?? value.savedAt;
    updatedAt = typeof at === 'string' ? at : undefined;
  } catch {
    updatedAt = undefined;
  }
  return { updatedAt };
}
