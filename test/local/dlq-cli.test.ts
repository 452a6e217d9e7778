import { run as dlq } from '../../src/cli/dlq';
import { SqliteWorkQueue } from '../../src/sqlite/work-queue';
import { openLocalDatabase } from '../../src/sqlite/database';
import { captureOutput, tempDir } from '../app-guard/helpers';

describe('Command: cli dlq', () => {
  const tmp = tempDir();
  const env = { FRONTLINE_DATA_DIR: tmp.dir };
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    const db = openLocalDatabase(tmp.dir);
    const queue = new SqliteWorkQueue(db, { maxReceives: 1 });
    await queue.enqueue(
      ['00ua', '00ub'].map((userId) => ({
        kind: 'converge-user' as const,
        userId,
        triggers: [{ eventUuid: `e-${userId}`, eventType: 'group.user_membership.add' }],
        source: 'event-hook' as const,
      })),
    );
    for (let m = queue.receive(); m; m = queue.receive())
      queue.fail(m, 'OktaTransientError: GET user: HTTP 503');
    db.close();
  });

  it('lists dead letters with user, triggers, attempts, last error and time', async () => {
    const { code, stdout } = await captureOutput(() => dlq(['list', '--json'], env));
    expect(code).toBe(0);
    const listed = JSON.parse(stdout).deadLetters;
    expect(listed).toEqual([
      expect.objectContaining({
        userId: '00ua',
        triggers: [expect.objectContaining({ eventUuid: 'e-00ua' })],
        attempts: 1,
        lastError: 'OktaTransientError: GET user: HTTP 503',
        deadAt: expect.stringMatching(/^\d{4}-/),
      }),
      expect.objectContaining({ userId: '00ub' }),
    ]);
    const text = await captureOutput(() => dlq(['list'], env));
    expect(text.stdout).toContain('2 dead letter(s)');
  });

  it('replays one by id onto the queue, refuses purge without --yes, then purges', async () => {
    const listed = JSON.parse((await captureOutput(() => dlq(['list', '--json'], env))).stdout).deadLetters;
    expect((await captureOutput(() => dlq(['replay', listed[0].id], env))).code).toBe(0);
    const db = openLocalDatabase(tmp.dir);
    expect(new SqliteWorkQueue(db).stats()).toEqual({ queued: 1, inFlight: 0, dead: 1 });
    db.close();

    expect((await captureOutput(() => dlq(['purge'], env))).code).toBe(1);
    const purged = await captureOutput(() => dlq(['purge', '--yes', '--json'], env));
    expect(JSON.parse(purged.stdout)).toEqual({ ok: true, purged: 1 });
  });

  it('says there is nothing when no database exists, without creating one', async () => {
    const { code, stdout } = await captureOutput(() =>
      dlq(['list'], { FRONTLINE_DATA_DIR: `${tmp.dir}/none` }),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('No dead letters');
  });
});
