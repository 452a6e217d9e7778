/*
 * A process that claims a data directory and keeps it until killed: the other process in
 * test/sqlite/data-dir.test.ts, so the lock is tested across processes, and against `kill -9`.
 *
 * It drops the claim and forces a garbage collection before saying it holds the directory (run with --expose-gc):
 * better-sqlite3 closes a collected connection, and the lock must not go with it.
 */
import { claimDataDir } from '../../src/sqlite/data-dir';

claimDataDir(process.argv[2] ?? '');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
gc();
process.stdout.write(`held ${process.pid}\n`);
setInterval(() => undefined, 60_000);
