/*
 * A process that claims a data directory and keeps it until killed: the other process in
 * test/sqlite/data-dir.test.ts, so the lock is tested across processes, and against `kill -9`.
 */
import { claimDataDir } from '../../src/sqlite/data-dir';

claimDataDir(process.argv[2] ?? '');
process.stdout.write(`held ${process.pid}\n`);
setInterval(() => undefined, 60_000);
