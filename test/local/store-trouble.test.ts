import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import Database from 'better-sqlite3';
import { membershipDelivery } from '../../scripts/bench/serve-process';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { databasePath, openLocalDatabase, type LocalDatabase } from '../../src/sqlite/database';
import { tempDir } from '../app-guard/helpers';

/*
 * serve while its database can't take a write (issue 20: another process's write lock held 5 s crashed serve, 3.5 s
 * stalled the event loop past Okta's 3 s; a full disk made every delivery 503 while /healthz said ok). No Okta is
 * needed: the org URL points at a closed port, and nothing here waits for an item to converge.
 */
const GROUP = '00gstoretrouble00001';
const APP = '0oastoretrouble00001';
const secret = randomBytes(24).toString('base64url');
/** Distinct users per tag, with Okta's 20-character ids (anything else is not selected as work). */
const users = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    uuid: `${tag}-${i}`,
    userId: `00u${tag.padEnd(8, 'x').slice(0, 8)}${String(i).padStart(9, '0')}`,
  }));

describe('Integration: serve when its database is locked or full', () => {
  const tmp = tempDir();
  let runtime: LocalRuntime | undefined;
  let db: LocalDatabase | undefined;
  afterEach(async () => {
    await runtime?.stop(1_000);
    db?.close();
    runtime = undefined;
    db = undefined;
  });
  afterAll(() => tmp.cleanup());

  const start = async (dataDir: string, withDb?: LocalDatabase): Promise<LocalRuntime> =>
    startLocalRuntime({
      settings: {
        ...settingsForOrg({ url: 'http://127.0.0.1:9', token: 'unused' }, { groupId: GROUP, appId: APP }),
        hookSecret: secret,
        dataDir,
      },
      ...(withDb ? { db: withDb } : {}),
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    });
  const deliver = async (body: string): Promise<{ status: number; ms: number }> => {
    const started = Date.now();
    const res = await fetch(runtime!.hookUrl, {
      method: 'POST',
      headers: { Authorization: secret, 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    return { status: res.status, ms: Date.now() - started };
  };
  const healthz = async () =>
    (await fetch(`${runtime!.url}/healthz`, { headers: { Authorization: secret } })).json() as Promise<{
      status: string;
      reasons: string[];
    }>;
  const until = async (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return check();
  };

  it('answers 503 within Okta’s 3 s, keeps the event loop free and degrades health while another process holds the write lock, and recovers after', async () => {
    const dataDir = `${tmp.dir}/locked`;
    runtime = await start(dataDir);
    expect((await deliver(membershipDelivery(GROUP, users(1, 'before')))).status).toBe(200);
    const other = new Database(databasePath(dataDir));
    const lag = monitorEventLoopDelay({ resolution: 10 });

    other.exec('BEGIN IMMEDIATE');
    lag.enable();
    const refused = await deliver(membershipDelivery(GROUP, users(3, 'locked')));
    await new Promise((r) => setTimeout(r, 1_500));
    const during = await healthz();
    lag.disable();
    other.exec('ROLLBACK');
    other.close();

    expect(refused.status).toBe(503);
    expect(refused.ms).toBeLessThan(2_000);
    // Each attempt waits at most the connection's 25 ms busy_timeout; the old 5 s wait blocked everything.
    expect(lag.max / 1e6).toBeLessThan(500);
    expect(during.status).toBe('degraded');
    expect(during.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^deliveries are refused \(503\): the database is locked by another process/),
        expect.stringMatching(/^the queue cannot be used: the database is locked by another process/),
      ]),
    );
    expect(await until(async () => (await healthz()).status === 'ok', 3_000)).toBe(true);
    expect((await deliver(membershipDelivery(GROUP, users(3, 'after')))).status).toBe(200);
  }, 20_000);

  it('answers 503 and degrades health while the disk is full, and clears once space is back', async () => {
    const dataDir = `${tmp.dir}/full`;
    db = openLocalDatabase(dataDir);
    // SQLite's own "database or disk is full" (SQLITE_FULL), without filling the machine's disk.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    runtime = await start(dataDir, db);

    const refused = await deliver(membershipDelivery(GROUP, users(150, 'full')));
    await new Promise((r) => setTimeout(r, 1_200));
    const during = await healthz();

    expect(refused.status).toBe(503);
    expect(during).toMatchObject({
      status: 'degraded',
      reasons: [expect.stringMatching(/^deliveries are refused \(503\): the disk is full \(since /)],
    });
    db.pragma('max_page_count = 1073741823');
    expect(await until(async () => (await healthz()).status === 'ok', 3_000)).toBe(true);
    expect((await deliver(membershipDelivery(GROUP, users(150, 'space')))).status).toBe(200);
  }, 20_000);
});
