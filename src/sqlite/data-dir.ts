import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { storeTroubleOf } from './busy';
import { createPrivate, DATABASE_FILE } from './database';
import { DataDirLockedError, LocalStoreError } from './errors';

export const LOCK_FILE = 'serve.lock';
export const HOLDER_FILE = 'serve.pid';

/** Files serve keeps in its data directory: all of them hold identities or say who runs; none is for others. */
const PRIVATE_FILES = [
  DATABASE_FILE,
  `${DATABASE_FILE}-wal`,
  `${DATABASE_FILE}-shm`,
  `${DATABASE_FILE}-journal`,
  LOCK_FILE,
  HOLDER_FILE,
];

/**
 * The lock connections this process holds. better-sqlite3 closes a connection the garbage collector takes, and with
 * it the OS lock: a caller that dropped its claim would lose the directory at some later collection, silently. Held
 * here until `release()`, the lock lasts as long as the process, whatever the caller keeps.
 */
const heldLocks = new Set<Database.Database>();

export interface DataDirClaim {
  /** The directory, absolute. */
  readonly dir: string;
  /** What was looser than owner-only and was tightened, e.g. `frontline.db 644 → 600`; empty when nothing was. */
  readonly tightened: string[];
  /** Gives the directory up (serve's stop); a crash gives it up too. */
  release(): void;
}

/**
 * Takes `dataDir` for this process: creates it owner-only (700), tightens the directory and serve's files to 700/600
 * where they are looser, and holds the one-process lock, or throws DataDirLockedError naming the holder's pid.
 *
 * The lock is a write lock held by SQLite itself: an open `BEGIN IMMEDIATE` on `serve.lock`, a database of its own
 * (never written, so it stays empty), so the queue's database stays open to `dlq` and `status` from other
 * processes. SQLite takes it with an OS file lock (fcntl on Unix, LockFileEx on Windows), which the kernel drops
 * when the process ends however it ends, `kill -9` included: no stale lock to clean up, and no pid to check for
 * liveness (a pid file can outlive its process and its pid be reused). `serve.pid` only names the holder for the
 * refusal message; it decides nothing.
 */
export function claimDataDir(dataDir: string): DataDirClaim {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new LocalStoreError(`cannot create the data directory ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const tightened = tightenPermissions(dir);
  const lockPath = join(dir, LOCK_FILE);
  createPrivate(lockPath);
  const lock = new Database(lockPath);
  try {
    lock.pragma('busy_timeout = 0');
    // No journal file: the lock database is never written, and nothing is left beside it after a crash.
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN IMMEDIATE');
  } catch (err) {
    lock.close();
    if (storeTroubleOf(err) === 'busy') throw new DataDirLockedError(dir, readHolderPid(dir), { cause: err });
    throw new LocalStoreError(`cannot lock the data directory ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  heldLocks.add(lock);
  writeHolder(dir);
  return {
    dir,
    tightened,
    release: () => {
      if (!lock.open) return;
      if (readHolderPid(dir) === process.pid) unlinkQuietly(join(dir, HOLDER_FILE));
      lock.close();
      heldLocks.delete(lock);
    },
  };
}

/** Directory 700, serve's files 600, where they are looser (group or others may read); says what it changed. */
export function tightenPermissions(dir: string): string[] {
  const changed: string[] = [];
  const tighten = (path: string, label: string, wanted: number): void => {
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      return;
    }
    if ((mode & 0o077) === 0) return;
    chmodSync(path, wanted);
    changed.push(`${label} ${mode.toString(8)} → ${wanted.toString(8)}`);
  };
  tighten(dir, dir, 0o700);
  for (const file of PRIVATE_FILES) tighten(join(dir, file), file, 0o600);
  return changed;
}

function writeHolder(dir: string): void {
  const path = join(dir, HOLDER_FILE);
  const next = `${path}.${process.pid}`;
  try {
    writeFileSync(next, `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`, {
      mode: 0o600,
    });
    renameSync(next, path);
  } catch {
    // Only the refusal message of a second serve reads it; the lock holds without it.
    unlinkQuietly(next);
  }
}

function readHolderPid(dir: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(join(dir, HOLDER_FILE), 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
