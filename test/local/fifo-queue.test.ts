import { LocalFifoQueue } from '../../src/local/fifo-queue';
import type { WorkItem } from '../../src/domain/work-item';

function item(userId: string, eventUuid: string): WorkItem {
  return {
    kind: 'converge-user',
    userId,
    triggers: [{ eventUuid, eventType: 'group.user_membership.add' }],
    source: 'event-hook',
  };
}

describe('Class: LocalFifoQueue', () => {
  let clock = 0;
  const now = (): number => clock;
  beforeEach(() => {
    clock = 1_000;
  });

  it('never hands out a second message of a user while the first is in flight', async () => {
    const queue = new LocalFifoQueue({ now });
    await queue.enqueue([item('u1', 'e1'), item('u1', 'e2'), item('u2', 'e3')]);

    const first = queue.receive();
    const second = queue.receive();
    const third = queue.receive();

    expect(first?.item.triggers[0]?.eventUuid).toBe('e1');
    expect(second?.item.userId).toBe('u2');
    expect(third).toBeUndefined();
  });

  it('keeps per-user order after a failure: the failed message is received again before the next one', async () => {
    const queue = new LocalFifoQueue({ now });
    await queue.enqueue([item('u1', 'e1'), item('u1', 'e2')]);
    const first = queue.receive()!;

    queue.fail(first, first.receiptHandle!, 'boom');
    clock += 10_000;
    const again = queue.receive();

    expect(again?.item.triggers[0]?.eventUuid).toBe('e1');
    expect(again?.receiveCount).toBe(2);
  });

  it('drops a duplicate enqueued inside the deduplication window and accepts it after', async () => {
    const queue = new LocalFifoQueue({ now, deduplicationWindowMs: 5_000 });
    await queue.enqueue([item('u1', 'e1')]);
    await queue.enqueue([item('u1', 'e1')]);
    expect(queue.stats().queued).toBe(1);

    clock += 6_000;
    await queue.enqueue([item('u1', 'e1')]);
    expect(queue.stats().queued).toBe(2);
  });

  it('makes a message receivable again when its visibility timeout passes without an ack', async () => {
    const queue = new LocalFifoQueue({ now, visibilityTimeoutMs: 1_000 });
    await queue.enqueue([item('u1', 'e1')]);
    const first = queue.receive()!;
    expect(queue.receive()).toBeUndefined();

    clock += 1_001;
    const again = queue.receive()!;

    expect(again.messageId).toBe(first.messageId);
    expect(queue.ack(first, 'stale-handle')).toBe(false);
    expect(queue.ack(again, again.receiptHandle!)).toBe(true);
    expect(queue.isEmpty()).toBe(true);
  });

  it('holds a rate-limited message until the given reset time', async () => {
    const queue = new LocalFifoQueue({ now });
    await queue.enqueue([item('u1', 'e1')]);
    const message = queue.receive()!;

    queue.fail(message, message.receiptHandle!, 'rate limited', clock + 60_000);
    clock += 59_000;
    expect(queue.receive()).toBeUndefined();
    clock += 1_000;
    expect(queue.receive()?.messageId).toBe(message.messageId);
  });

  it('moves a message to the dead-letter list after maxReceives and replays it on request', async () => {
    const queue = new LocalFifoQueue({ now, maxReceives: 2 });
    await queue.enqueue([item('u1', 'e1')]);
    for (let i = 0; i < 2; i += 1) {
      const m = queue.receive()!;
      queue.fail(m, m.receiptHandle!, `failure ${i}`);
      clock += 60_000;
    }

    expect(queue.deadLetters()).toEqual([
      expect.objectContaining({ receiveCount: 2, reason: 'failure 1', item: item('u1', 'e1') }),
    ]);
    expect(queue.isEmpty()).toBe(true);

    expect(await queue.replayDeadLetters()).toBe(1);
    expect(queue.deadLetters()).toHaveLength(0);
    expect(queue.receive()?.receiveCount).toBe(1);
  });
});
