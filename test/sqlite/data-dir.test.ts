import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimDataDir } from '../../src/sqlite/data-dir';
import { openLocalDatabase } from '../../src/sqlite/database';
import { DataDirLockedError } from '../../src/sqlite/errors';
import { tempDir } from '../app-guard/helpers';

const ROOT = join(__dirname, '..', '..');
const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/**
 * Another process holding `dir` (test/sqlite/hold-data-dir.ts), which has dropped its claim and been garbage
 * collected; resolves once it says it holds it.
 */
async function holder(dir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'test/sqlite/hold-data-dir.ts', dir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the holder did not start within 20 s')), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the holder exited (${code})`)));
  });
  return child;
}

describe('Function: claimDataDir', () => {
  const tmp = tempDir();
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    tmp.cleanup();
  });

  it('refuses a directory another process holds (even after it dropped its claim and was collected), naming it and the holder’s pid, and takes it once that process is killed -9', async () => {
    const dir = join(tmp.dir, 'shared');
    const other = await holder(dir);
    children.push(other);

    let refused: unknown;
    try {
      claimDataDir(dir);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as DataDirLockedError).message).toBe(
      `another serve (pid ${other.pid}) is using the data directory ${dir}; ` +
        'stop it first, or give this one another FRONTLINE_DATA_DIR',
    );

    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    const claim = claimDataDir(dir);
    expect(claim.dir).toBe(dir);
    claim.release();
  }, 30_000);

  it('refuses a second claim from the same process, and allows one after release', () => {
    const dir = join(tmp.dir, 'same');
    const first = claimDataDir(dir);
    expect(() => claimDataDir(dir)).toThrow(DataDirLockedError);
    first.release();
    claimDataDir(dir).release();
  });

  it('creates the directory 700 and the database 600, its -wal and -shm too', () => {
    const dir = join(tmp.dir, 'fresh');
    const claim = claimDataDir(dir);
    const db = openLocalDatabase(dir);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();

    expect(claim.tightened).toEqual([]);
    expect(modeOf(dir)).toBe('700');
    for (const file of ['frontline.db', 'frontline.db-wal', 'frontline.db-shm', 'serve.lock', 'serve.pid'])
      expect([file, modeOf(join(dir, file))]).toEqual([file, '600']);
    db.close();
    claim.release();
  });

  it('tightens a world-readable directory and database to 700/600 and says what it changed', () => {
    const dir = join(tmp.dir, 'loose');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    for (const file of ['frontline.db', 'frontline.db-wal', 'frontline.db-shm']) {
      writeFileSync(join(dir, file), '');
      chmodSync(join(dir, file), 0o644);
    }

    const claim = claimDataDir(dir);

    expect(claim.tightened).toEqual([
      `${dir} 755 → 700`,
      'frontline.db 644 → 600',
      'frontline.db-wal 644 → 600',
      'frontline.db-shm 644 → 600',
    ]);
    expect([modeOf(dir), modeOf(join(dir, 'frontline.db')), modeOf(join(dir, 'frontline.db-wal'))]).toEqual([
      '700',
      '600',
      '600',
    ]);
    claim.release();
  });
});
