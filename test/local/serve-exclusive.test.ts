import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  LISTENING,
  membershipDelivery,
  postDelivery,
  serveEnv,
  spawnServe,
  type ServeProcess,
} from '../../scripts/bench/serve-process';
import { databasePath } from '../../src/sqlite/database';
import { tempDir } from '../app-guard/helpers';

/*
 * `serve` in real processes, for what issue 20 found about serve itself: a second serve on the same data directory
 * took the first one's in-flight items; another process holding SQLite's write lock over 5 s crashed it; the data
 * directory was world-readable.
 */
const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('Process: cli serve and its data directory', () => {
  let emulator: RunningEmulator;
  const tmp = tempDir();
  const secret = randomBytes(24).toString('base64url');
  const running: ServeProcess[] = [];
  const start = (dataDir: string) => {
    const serve = spawnServe({
      env: serveEnv(
        emulator,
        { groupId: DEMO.groupId, appId: DEMO.appId },
        { OKTA_HOOK_SECRET: secret, FRONTLINE_DATA_DIR: dataDir },
      ),
    });
    running.push(serve);
    return serve;
  };
  const healthz = async (hookUrl: string) =>
    (await (
      await fetch(hookUrl.replace('/okta/event-hook', '/healthz'), { headers: { Authorization: secret } })
    ).json()) as { status: string; reasons: string[] };

  beforeAll(async () => {
    emulator = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
  });
  afterAll(async () => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await emulator.stop();
    tmp.cleanup();
  });

  it('refuses a second serve on the same data directory, naming it and the first one’s pid, and takes the directory after a kill -9', async () => {
    const dataDir = join(tmp.dir, 'one');
    const first = start(dataDir);
    await first.waitFor(LISTENING);

    const second = start(dataDir);

    expect((await second.exited).code).toBe(1);
    expect(second.output().trim()).toBe(
      `Cannot start: another serve (pid ${first.child.pid}) is using the data directory ${resolve(dataDir)}; ` +
        'stop it first, or give this one another FRONTLINE_DATA_DIR.',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    // The kernel dropped the first one's lock with the process: nothing stale to clean up.
    const third = start(dataDir);
    await third.waitFor(LISTENING);
    third.child.kill('SIGTERM');
    await third.waitFor(/Stopped\. Left: 0 queued, 0 in flight, 0 dead-lettered\./, 20_000);
  }, 60_000);

  it('outlasts another process holding the write lock for 6 s: deliveries answer 503 in time, health degrades, and it recovers', async () => {
    const dataDir = join(tmp.dir, 'locked');
    const serve = start(dataDir);
    const hookUrl = (await serve.waitFor(LISTENING))[1]!;
    const other = new Database(databasePath(dataDir));
    other.exec('BEGIN IMMEDIATE');
    const lockedAt = Date.now();

    const started = Date.now();
    const refused = await postDelivery(
      hookUrl,
      secret,
      membershipDelivery(DEMO.groupId, [{ uuid: 'locked-1', userId: DEMO.users.newHire }]),
    );
    const answeredMs = Date.now() - started;
    const during = await healthz(hookUrl);
    await new Promise((r) => setTimeout(r, Math.max(0, 6_000 - (Date.now() - lockedAt))));
    expect(serve.child.exitCode).toBeNull();
    other.exec('ROLLBACK');
    other.close();

    expect(refused).toBe(503);
    expect(answeredMs).toBeLessThan(3_000);
    expect(during).toMatchObject({
      status: 'degraded',
      reasons: expect.arrayContaining([expect.stringContaining('the database is locked by another process')]),
    });
    const deadline = Date.now() + 5_000;
    while ((await healthz(hookUrl)).status !== 'ok' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect((await healthz(hookUrl)).status).toBe('ok');
    expect(
      await postDelivery(
        hookUrl,
        secret,
        membershipDelivery(DEMO.groupId, [{ uuid: 'unlocked-1', userId: DEMO.users.newHire }]),
      ),
    ).toBe(200);
    serve.child.kill('SIGTERM');
    await serve.waitFor(/Stopped\. Left: /, 20_000);
  }, 60_000);

  it('tightens a world-readable data directory to owner-only at start, says so, and keeps its files 600', async () => {
    const dataDir = join(tmp.dir, 'loose');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);

    const serve = start(dataDir);
    await serve.waitFor(LISTENING);

    expect(serve.output()).toMatch(/permissions tightened to owner-only.*755 → 700/);
    expect(modeOf(dataDir)).toBe('700');
    for (const file of ['frontline.db', 'frontline.db-wal', 'frontline.db-shm'])
      expect([file, modeOf(join(dataDir, file))]).toEqual([file, '600']);
    serve.child.kill('SIGTERM');
    await serve.exited;
  }, 60_000);
});
