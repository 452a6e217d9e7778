import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LocalStoreError } from './errors';

export type LocalDatabase = Database.Database;

export const DEFAULT_DATA_DIR = '.frontline';
export const DATABASE_FILE = 'frontline.db';

/**
 * How long `serve`'s connection waits for another process's write lock in one call. SQLite's wait blocks the event
 * loop, so it is kept to a few tens of ms: serve retries busy calls from a timer instead (src/sqlite/busy.ts), and
 * a delivery that can't be committed in time answers 503. The CLI's one-shot commands keep the default 5 s wait.
 */
export const SERVE_BUSY_TIMEOUT_MS = 25;

/*
 * One SQLite file holds the queue, its dead letters and the local state, so one transaction can cover "accept a
 * delivery" and the dlq commands can work on it from another process while serve runs (WAL allows one writer and
 * concurrent readers; busy_timeout makes the second writer wait instead of failing).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  group_id TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  visible_at INTEGER NOT NULL,
  receipt TEXT,
  last_error TEXT,
  enqueued_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_group ON messages (group_id, seq);
CREATE TABLE IF NOT EXISTS dedup (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dedup_at ON dedup (at);
CREATE TABLE IF NOT EXISTS dead_letters (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  dead_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS certificates (
  app_id TEXT PRIMARY KEY,
  fingerprint_sha256 TEXT NOT NULL,
  confirmed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS catchup_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  next_url TEXT NOT NULL,
  saved_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * Opens (creating if needed) the embedded store in `dataDir`. synchronous=FULL: a commit survives a power cut, not
 * only a crash, because a 200 to Okta promises the work is kept. A new directory is 700 and a new database 600
 * (its -wal and -shm take its mode): it holds identities.
 */
export function openLocalDatabase(dataDir: string): LocalDatabase {
  const path = databasePath(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    createPrivate(path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return db;
  } catch (err) {
    throw new LocalStoreError(`cannot open the local database ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Creates the file owner-only if it is missing (SQLite would create it 644, and its -wal/-shm take its mode). */
export function createPrivate(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
}
