import { createReceiver, type ReceiverDeps, type ReceiverLogger } from '../../src/receiver/receiver';
import type { HookSecrets } from '../../src/secrets/hook-secret';
import type { WorkQueue } from '../../src/domain/work-queue';
import type { WorkItem } from '../../src/domain/work-item';
import {
  APP_ID,
  delivery,
  envelope,
  fixture,
  GROUP_ID,
  groupAdd,
  httpEvent,
  logEvent,
  PREVIOUS_SECRET,
  SECRET,
} from './factories';

class MemoryQueue implements WorkQueue {
  public readonly items: WorkItem[] = [];
  public failWith: Error | undefined;
  public async enqueue(items: readonly WorkItem[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.items.push(...items);
  }
}

class MemoryLogger implements ReceiverLogger {
  public readonly lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  public info(message: string, ...extra: Record<string, unknown>[]) {
    this.lines.push({ level: 'info', message, extra: Object.assign({}, ...extra) });
  }
  public warn(message: string, ...extra: Record<string, unknown>[]) {
    this.lines.push({ level: 'warn', message, extra: Object.assign({}, ...extra) });
  }
  public error(message: string, ...extra: Record<string, unknown>[]) {
    this.lines.push({ level: 'error', message, extra: Object.assign({}, ...extra) });
  }
}

function setup(overrides: Partial<ReceiverDeps> = {}) {
  const queue = new MemoryQueue();
  const logger = new MemoryLogger();
  const secrets: HookSecrets = { current: SECRET, previous: undefined };
  const receive = createReceiver({
    secrets: async () => secrets,
    queue,
    groupIds: [GROUP_ID],
    appId: APP_ID,
    logger,
    ...overrides,
  });
  return { receive, queue, logger };
}

describe('Function: createReceiver', () => {
  describe('verification', () => {
    it('answers the challenge as JSON when the secret is right, whatever the header case', async () => {
      const { receive } = setup();
      const result = await receive(
        httpEvent({
          method: 'GET',
          headers: { 'X-Okta-Verification-Challenge': 'abc123', AUTHORIZATION: SECRET },
        }),
      );
      expect(result).toEqual({
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"verification":"abc123"}',
      });
    });

    it('returns 401 to a challenge without the secret', async () => {
      const { receive } = setup();
      const result = await receive(
        httpEvent({ method: 'GET', headers: { 'x-okta-verification-challenge': 'abc' } }),
      );
      expect(result.statusCode).toBe(401);
      expect(result.body).not.toContain('abc');
    });

    it('returns 400 to an authenticated GET without a challenge', async () => {
      const { receive } = setup();
      const result = await receive(httpEvent({ method: 'GET', headers: { authorization: SECRET } }));
      expect(result.statusCode).toBe(400);
    });
  });

  describe('delivery', () => {
    it('enqueues the selected work and answers 200 with an empty body', async () => {
      const { receive, queue } = setup();
      const result = await receive(delivery(fixture('group-membership')));
      expect(result).toEqual({ statusCode: 200, body: '' });
      expect(queue.items.map((i) => i.userId)).toEqual(['00u1alice000000000x1', '00u1bob00000000000x1']);
    });

    it('uses a configured header name', async () => {
      const { receive, queue } = setup({ headerName: 'X-Hook-Secret' });
      expect((await receive(delivery(envelope([groupAdd('00uA0000000000000000')])))).statusCode).toBe(401);
      const result = await receive(
        delivery(envelope([groupAdd('00uA0000000000000000')]), { 'x-hook-secret': SECRET }),
      );
      expect(result.statusCode).toBe(200);
      expect(queue.items).toHaveLength(1);
    });

    it('decodes a base64-encoded body', async () => {
      const { receive, queue } = setup();
      const body = Buffer.from(JSON.stringify(envelope([groupAdd('00uA0000000000000000')]))).toString(
        'base64',
      );
      const result = await receive(
        httpEvent({ method: 'POST', headers: { authorization: SECRET }, body, isBase64Encoded: true }),
      );
      expect(result.statusCode).toBe(200);
      expect(queue.items.map((i) => i.userId)).toEqual(['00uA0000000000000000']);
    });

    it('answers 200 without enqueueing when nothing in the delivery matters', async () => {
      const { receive, queue, logger } = setup();
      const result = await receive(delivery(envelope([logEvent('user.session.start', null)])));
      expect(result.statusCode).toBe(200);
      expect(queue.items).toEqual([]);
      expect(logger.lines[0]?.extra).toMatchObject({
        received: 1,
        enqueued: 0,
        ignoredByType: { 'user.session.start': 1 },
      });
    });

    it('hands app configuration events to the hook point', async () => {
      const seen: string[] = [];
      const { receive } = setup({
        onAppConfigEvents: async (events) => void seen.push(...events.map((e) => e.uuid)),
      });
      await receive(delivery(fixture('app-events')));
      expect(seen).toEqual(['c8f0e3a2-3b7f-11ef-8a7c-1b2c3d4e5f03']);
    });

    it('logs app configuration events when no hook point is wired', async () => {
      const { receive, logger } = setup();
      await receive(delivery(fixture('app-events')));
      expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'info']);
    });
  });

  describe('errors', () => {
    it('returns 401 with no detail for a wrong or missing secret', async () => {
      const { receive, queue } = setup();
      const cases: Record<string, string>[] = [
        {},
        { authorization: 'wrong' },
        { authorization: `${SECRET}x` },
      ];
      for (const headers of cases) {
        const result = await receive(delivery(envelope([groupAdd('00uA0000000000000000')]), headers));
        expect(result.statusCode).toBe(401);
        expect(JSON.parse(result.body ?? '')).toEqual({ message: 'Unauthorized' });
      }
      expect(queue.items).toEqual([]);
    });

    it('accepts the previous secret during rotation', async () => {
      const { receive } = setup({ secrets: async () => ({ current: SECRET, previous: PREVIOUS_SECRET }) });
      const result = await receive(
        delivery(envelope([groupAdd('00uA0000000000000000')]), { authorization: PREVIOUS_SECRET }),
      );
      expect(result.statusCode).toBe(200);
    });

    it('refetches the secrets once after a mismatch and accepts the rotated one', async () => {
      const refreshSecrets = jest.fn(async () => ({ current: 'rotated-secret', previous: SECRET }));
      const { receive } = setup({ refreshSecrets });
      const result = await receive(
        delivery(envelope([groupAdd('00uA0000000000000000')]), { authorization: 'rotated-secret' }),
      );
      expect(result.statusCode).toBe(200);
      expect(refreshSecrets).toHaveBeenCalledTimes(1);
    });

    it('returns 401 when the refetch is declined or still does not match', async () => {
      const { receive } = setup({ refreshSecrets: async () => undefined });
      expect((await receive(delivery(envelope([]), { authorization: 'nope' }))).statusCode).toBe(401);
      const { receive: receive2 } = setup({
        refreshSecrets: async () => ({ current: 'other', previous: undefined }),
      });
      expect((await receive2(delivery(envelope([]), { authorization: 'nope' }))).statusCode).toBe(401);
    });

    it('does not refetch for a request with no secret at all', async () => {
      const refreshSecrets = jest.fn(async () => undefined);
      const { receive } = setup({ refreshSecrets });
      await receive(delivery(envelope([]), {}));
      expect(refreshSecrets).not.toHaveBeenCalled();
    });

    it('returns 400 with a short reason when the body is not JSON', async () => {
      const { receive } = setup();
      const result = await receive(delivery('{"data":'));
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body ?? '')).toEqual({ message: 'body is not JSON' });
    });

    it('returns 400 when the body is JSON but not an event hook envelope', async () => {
      const { receive } = setup();
      for (const body of [{ hello: 'world' }, { data: { events: 'nope' } }, [1, 2]]) {
        const result = await receive(delivery(body));
        expect(result.statusCode).toBe(400);
        expect(JSON.parse(result.body ?? '').message).toMatch(/^body is not an Okta event hook delivery/);
      }
    });

    it('returns 413 when the body is over the limit, plain or base64', async () => {
      const { receive } = setup({ maxBodyBytes: 2048 });
      const big = JSON.stringify(envelope([logEvent('user.session.start', null, { pad: 'x'.repeat(3000) })]));
      expect((await receive(delivery(big))).statusCode).toBe(413);
      const encoded = Buffer.from(big).toString('base64');
      const result = await receive(
        httpEvent({
          method: 'POST',
          headers: { authorization: SECRET },
          body: encoded,
          isBase64Encoded: true,
        }),
      );
      expect(result.statusCode).toBe(413);
    });

    it('counts bytes, not characters, against the limit', async () => {
      const { receive } = setup({ maxBodyBytes: 1024 });
      const body = JSON.stringify({ data: { events: [] }, pad: 'é'.repeat(500) });
      expect(body.length).toBeLessThan(1024);
      expect((await receive(delivery(body))).statusCode).toBe(413);
    });

    it('returns 405 with Allow for other methods', async () => {
      const { receive } = setup();
      const result = await receive(httpEvent({ method: 'PUT', headers: { authorization: SECRET } }));
      expect(result.statusCode).toBe(405);
      expect(result.headers).toMatchObject({ allow: 'GET, POST' });
    });

    it('returns 404 for other paths, and serves the hook under a named stage', async () => {
      const { receive } = setup();
      expect((await receive(httpEvent({ path: '/other' }))).statusCode).toBe(404);
      const staged = delivery(envelope([groupAdd('00uA0000000000000000')]));
      staged.rawPath = '/prod/okta/event-hook/';
      staged.requestContext.stage = 'prod';
      expect((await receive(staged)).statusCode).toBe(200);
    });

    it('returns 503 and logs the event ids when enqueueing fails', async () => {
      const { receive, queue, logger } = setup();
      queue.failWith = Object.assign(new Error('2 work item(s) not enqueued: InternalError'), {
        name: 'EnqueueError',
      });
      const event = groupAdd('00uA0000000000000000', GROUP_ID, { uuid: 'uuid-to-retry' });

      const result = await receive(delivery(envelope([event])));

      expect(result.statusCode).toBe(503);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toMatchObject({
        level: 'error',
        extra: {
          status: 503,
          eventUuids: ['uuid-to-retry'],
          userIds: ['00uA0000000000000000'],
          error: { name: 'EnqueueError' },
        },
      });
    });

    it('returns 503 when the secret cannot be read, so Okta retries', async () => {
      const { receive } = setup({
        secrets: async () => {
          throw new Error('AccessDenied');
        },
      });
      expect((await receive(delivery(envelope([])))).statusCode).toBe(503);
    });
  });

  describe('logging', () => {
    it('logs one line per request with counts, and never the secret or the auth header', async () => {
      const { receive, logger } = setup();
      const events = [
        groupAdd('00uA0000000000000000'),
        groupAdd('00uB0000000000000000', '00gOther'),
        logEvent('user.session.start', null),
      ];

      await receive(delivery(envelope(events)));
      await receive(delivery(envelope(events), { authorization: 'wrong-secret-value' }));

      expect(logger.lines).toHaveLength(2);
      expect(logger.lines[0]).toMatchObject({
        level: 'info',
        extra: {
          status: 200,
          received: 3,
          enqueued: 1,
          ignored: 2,
          ignoredByType: { 'group.user_membership.add': 1, 'user.session.start': 1 },
        },
      });
      expect(logger.lines[1]).toMatchObject({
        level: 'warn',
        extra: { status: 401, outcome: 'unauthorized' },
      });
      const text = JSON.stringify(logger.lines);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('wrong-secret-value');
      expect(text.toLowerCase()).not.toContain('authorization');
    });
  });
});
