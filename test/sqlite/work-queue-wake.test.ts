import { SqliteWorkQueue } from '../../src/sqlite/work-queue';
import { openLocalDatabase, type LocalDatabase } from '../../src/sqlite/database';
import type { WorkItem } from '../../src/domain/work-item';
import { tempDir } from '../app-guard/helpers';

const item = (userId: string): WorkItem => ({
  kind: 'converge-user',
  userId,
  triggers: [{ eventUuid: `e-${userId}`, eventType: 'group.user_membership.add' }],
  source: 'event-hook',
});

describe('Method: SqliteWorkQueue wakeParked and planned failures', () => {
  const tmp = tempDir();
  let db: LocalDatabase;
  let clock = 1_000_000;
  const now = () => clock;
  afterAll(() => tmp.cleanup());
  beforeEach(() => {
    db = openLocalDatabase(`${tmp.dir}/${expect.getState().currentTestName?.replace(/\W+/g, '-')}`);
    clock = 1_000_000;
  });
  afterEach(() => db.close());

  it('brings items parked by a transient failure back within the delay it is given, not 429-held ones', async () => {
    const queue = new SqliteWorkQueue(db, { now });
    await queue.enqueue([item('00ua'), item('00ub'), item('00uc')]);
    const [a, b, c] = [queue.receive()!, queue.receive()!, queue.receive()!];
    queue.fail(a, 'OktaTransientError: 503', undefined, { delayMs: 300_000, countsAttempt: true });
    queue.fail(b, 'OktaTransientError: 503'); // its own backoff
    queue.fail(c, 'RetryLaterError: 429', clock + 60_000); // waits for the bucket's reset
    expect(queue.receive()).toBeUndefined();

    expect(queue.wakeParked(() => 1_500)).toBe(2);
    clock += 1_500;
    const back = [queue.receive(), queue.receive(), queue.receive()].map((m) => m?.item.userId);
    expect(back).toEqual(['00ua', '00ub', undefined]);
    expect(queue.wakeParked(() => 0)).toBe(0); // received again: no longer parked
  });

  it('gives the attempt back for a failure that does not count (a probe of a failing Okta)', async () => {
    const queue = new SqliteWorkQueue(db, { now, maxReceives: 2 });
    await queue.enqueue([item('00ua')]);
    for (let i = 0; i < 5; i++) {
      const m = queue.receive()!;
      expect(m.attempts).toBe(1);
      expect(queue.fail(m, 'OktaTransientError: 503', undefined, { delayMs: 10, countsAttempt: false })).toBe(
        'retry',
      );
      clock += 10;
    }
    const m = queue.receive()!;
    queue.fail(m, 'OktaTransientError: 503', undefined, { delayMs: 10, countsAttempt: true });
    clock += 10;
    expect(
      queue.fail(queue.receive()!, 'OktaTransientError: 503', undefined, {
        delayMs: 10,
        countsAttempt: true,
      }),
    ).toBe('dead');
  });

  it('waits the planned delay instead of its own backoff', async () => {
    const queue = new SqliteWorkQueue(db, { now, backoff: { baseMs: 5_000, maxMs: 300_000 } });
    await queue.enqueue([item('00ua')]);
    queue.fail(queue.receive()!, 'OktaTransientError: 503', undefined, {
      delayMs: 40_000,
      countsAttempt: true,
    });
    clock += 39_999;
    expect(queue.receive()).toBeUndefined();
    clock += 1;
    expect(queue.receive()?.item.userId).toBe('00ua');
  });
});
