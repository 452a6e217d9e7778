import { backoffMs, minimumRetrySpanMs } from '../../src/sqlite/backoff';
import { SqliteWorkQueue } from '../../src/sqlite/work-queue';
import { openLocalDatabase, type LocalDatabase } from '../../src/sqlite/database';
import type { WorkItem } from '../../src/domain/work-item';
import { tempDir } from '../app-guard/helpers';

const item = (userId: string, eventUuid: string): WorkItem => ({
  kind: 'converge-user',
  userId,
  triggers: [{ eventUuid, eventType: 'group.user_membership.add' }],
  source: 'event-hook',
});

describe('Class: SqliteWorkQueue', () => {
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

  it('keeps one user in order and never hands out two of their items at once', async () => {
    const queue = new SqliteWorkQueue(db, { now });
    await queue.enqueue([item('00ua', 'e1'), item('00ub', 'e2'), item('00ua', 'e3')]);

    const first = queue.receive();
    const second = queue.receive();
    expect([first?.item.triggers[0]?.eventUuid, second?.item.triggers[0]?.eventUuid]).toEqual(['e1', 'e2']);
    expect(queue.receive()).toBeUndefined();
    queue.ack(first!);
    expect(queue.receive()?.item.triggers[0]?.eventUuid).toBe('e3');
  });

  it('drops a redelivered item within the five-minute window and accepts it after', async () => {
    const queue = new SqliteWorkQueue(db, { now });
    await queue.enqueue([item('00ua', 'e1')]);
    queue.ack(queue.receive()!);
    clock += 299_000;
    await queue.enqueue([item('00ua', 'e1')]);
    expect(queue.isEmpty()).toBe(true);
    clock += 2_000;
    await queue.enqueue([item('00ua', 'e1')]);
    expect(queue.isEmpty()).toBe(false);
  });

  it('hands an unacknowledged item out again after the visibility timeout, not before', async () => {
    const queue = new SqliteWorkQueue(db, { now, visibilityTimeoutMs: 1_000 });
    await queue.enqueue([item('00ua', 'e1')]);
    const held = queue.receive()!;
    clock += 999;
    expect(queue.receive()).toBeUndefined();
    clock += 2;
    const again = queue.receive()!;
    expect(again.messageId).toBe(held.messageId);
    expect(queue.ack(held)).toBe(false);
    expect(queue.ack(again)).toBe(true);
  });

  it('backs off after a failure and dead-letters after maxReceives attempts, keeping the last error', async () => {
    const queue = new SqliteWorkQueue(db, {
      now,
      maxReceives: 3,
      backoff: { baseMs: 1_000, maxMs: 10_000 },
      random: () => 0,
    });
    await queue.enqueue([item('00ua', 'e1')]);
    expect(queue.fail(queue.receive()!, 'OktaTransientError: 503')).toBe('retry');
    clock += 999;
    expect(queue.receive()).toBeUndefined();
    clock += 1;
    expect(queue.fail(queue.receive()!, 'OktaTransientError: 503')).toBe('retry');
    clock += 2_000;
    expect(queue.fail(queue.receive()!, 'OktaTransientError: 500')).toBe('dead');

    expect(queue.isEmpty()).toBe(true);
    expect(queue.deadLetters()).toEqual([
      expect.objectContaining({ attempts: 3, lastError: 'OktaTransientError: 500', deadAt: clock }),
    ]);
  });

  it('does not count a rate-limited attempt and waits for the reset', async () => {
    const queue = new SqliteWorkQueue(db, { now, maxReceives: 1 });
    await queue.enqueue([item('00ua', 'e1')]);
    for (let i = 0; i < 5; i += 1) {
      expect(queue.fail(queue.receive()!, 'RetryLaterError', clock + 60_000)).toBe('retry');
      clock += 59_999;
      expect(queue.receive()).toBeUndefined();
      clock += 1;
    }
    expect(queue.receive()?.attempts).toBe(1);
    expect(queue.deadLetters()).toEqual([]);
  });

  it('keeps everything committed across a reopen of the same file, releasing what was in flight', async () => {
    const path = `${tmp.dir}/reopen`;
    const first = openLocalDatabase(path);
    const queue = new SqliteWorkQueue(first, { now });
    await queue.enqueue([item('00ua', 'e1'), item('00ub', 'e2')]);
    queue.receive();
    first.close();

    const reopened = new SqliteWorkQueue(openLocalDatabase(path), { now });
    expect(reopened.receive()?.item.userId).toBe('00ub');
    expect(reopened.releaseAbandoned()).toBe(2);
    const resumed = reopened.receive()!;
    expect(resumed.item.userId).toBe('00ua');
    // The attempt the crashed process was on is given back.
    expect(resumed.attempts).toBe(1);
  });

  it('replays chosen or all dead letters with fresh attempts, and purges', async () => {
    const queue = new SqliteWorkQueue(db, { now, maxReceives: 1 });
    await queue.enqueue([item('00ua', 'e1'), item('00ub', 'e2'), item('00uc', 'e3')]);
    for (let m = queue.receive(); m; m = queue.receive()) queue.fail(m, 'boom');
    const [a, b] = queue.deadLetters();

    expect(queue.replay([a!.messageId, 'nope'])).toEqual({ replayed: [a!.messageId], unknown: ['nope'] });
    expect(queue.receive()).toEqual(expect.objectContaining({ messageId: a!.messageId, attempts: 1 }));
    expect(queue.replay().replayed).toHaveLength(2);
    expect(queue.deadLetters()).toEqual([]);
    queue.fail(queue.receive()!, 'again');
    expect(queue.deadLetters().map((d) => d.messageId)).toContain(b!.messageId);
    expect(queue.purgeDeadLetters()).toBe(1);
    expect(queue.stats().dead).toBe(0);
  });
});

describe('Function: backoffMs', () => {
  const policy = { baseMs: 5_000, maxMs: 300_000 };

  it('doubles from the base up to the cap, with jitter that only adds up to 20%', () => {
    expect([1, 2, 3, 7, 8, 20].map((n) => backoffMs(policy, n, 0))).toEqual([
      5_000, 10_000, 20_000, 300_000, 300_000, 300_000,
    ]);
    expect(backoffMs(policy, 1, 1)).toBe(6_000);
  });

  it('keeps an item for over an hour with the defaults (20 attempts)', () => {
    expect(minimumRetrySpanMs(policy, 20)).toBeGreaterThan(60 * 60 * 1000);
  });
});
