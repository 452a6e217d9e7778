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
    queue.fail(a, 'OktaTransientError: 503', undefined, { delayMs: 300_000 });
    queue.fail(b, 'OktaTransientError: 503'); // its own backoff
    queue.fail(c, 'RetryLaterError: 429', clock + 60_000); // waits for the bucket's reset
    expect(queue.receive()).toBeUndefined();

    expect(queue.wakeParked(() => 1_500)).toBe(2);
    clock += 1_500;
    const back = [queue.receive(), queue.receive(), queue.receive()].map((m) => m?.item.userId);
    expect(back).toEqual(['00ua', '00ub', undefined]);
    expect(queue.wakeParked(() => 0)).toBe(0); // received again: no longer parked
  });

  it('uses up attempts no faster than the item’s own backoff, however soon a planned retry comes', async () => {
    // 5 s doubling: attempts may be used up at 0, 5, 15 s…; maxReceives 3 is reached only at the third of those.
    const queue = new SqliteWorkQueue(db, {
      now,
      maxReceives: 3,
      backoff: { baseMs: 5_000, maxMs: 300_000 },
    });
    await queue.enqueue([item('00ua')]);
    const failSoon = () =>
      queue.fail(queue.receive()!, 'OktaTransientError: 503', undefined, { delayMs: 1_000 });
    expect(failSoon()).toBe('retry'); // t = 0: attempt 1 used
    for (let t = 1; t < 5; t++) {
      clock += 1_000;
      expect(failSoon()).toBe('retry'); // probes at 1–4 s: given back
    }
    clock += 1_000; // t = 5 s: attempt 2 used
    expect(failSoon()).toBe('retry');
    for (let t = 6; t < 15; t++) {
      clock += 1_000;
      expect(failSoon()).toBe('retry');
    }
    clock += 1_000; // t = 15 s: attempt 3, the last
    expect(failSoon()).toBe('dead');
  });

  it('waits the planned delay instead of its own backoff', async () => {
    const queue = new SqliteWorkQueue(db, { now, backoff: { baseMs: 5_000, maxMs: 300_000 } });
    await queue.enqueue([item('00ua')]);
    queue.fail(queue.receive()!, 'OktaTransientError: 503', undefined, { delayMs: 40_000 });
    clock += 39_999;
    expect(queue.receive()).toBeUndefined();
    clock += 1;
    expect(queue.receive()?.item.userId).toBe('00ua');
  });
});
