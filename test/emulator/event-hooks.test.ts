import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO } from '../../emulator/okta';
import { all, failure, startHarness, type Harness } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny event-hook receiver on 127.0.0.1 whose answers the test controls. */
class Receiver {
  readonly received: Received[] = [];
  answer: (r: Received) => { status: number; body?: string; delayMs?: number } = (r) => {
    const challenge = r.headers['x-okta-verification-challenge'];
    return challenge
      ? { status: 200, body: JSON.stringify({ verification: challenge }) }
      : { status: 200, body: '' };
  };
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = { method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
        this.received.push(r);
        const a = this.answer(r);
        setTimeout(() => {
          res.writeHead(a.status, { 'content-type': 'application/json' });
          res.end(a.body ?? '');
        }, a.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/okta/events`;
  }

  posts(): { events: Json[] }[] {
    return this.received.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body).data);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server!.close(() => resolve());
      this.server!.closeAllConnections();
    });
  }
}

const hookBody = (uri: string, items: string[]) => ({
  name: 'Frontline provisioner',
  events: { type: 'EVENT_TYPE', items },
  channel: {
    type: 'HTTP',
    version: '1.0.0',
    config: {
      uri,
      headers: [{ key: 'X-Extra', value: 'yes' }],
      authScheme: { type: 'HEADER', key: 'Authorization', value: 'hook-secret-1' },
    },
  },
});

describe('Okta emulator: event hooks', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    h = await startHarness({ hooks: { batchWindowMs: 20, timeoutMs: 300 } });
  });
  afterAll(() => h.emulator.stop());
  beforeEach(async () => {
    await h.emulator.control.reset();
    receiver = new Receiver();
    await receiver.start();
  });
  afterEach(() => receiver.stop());

  async function verifiedHook(items: string[]): Promise<string> {
    const hook = await h.client.eventHookApi.createEventHook({
      eventHook: hookBody(receiver.url, items) as never,
    });
    await h.client.eventHookApi.verifyEventHook({ eventHookId: hook.id! });
    return hook.id!;
  }

  it('creates hooks ACTIVE and UNVERIFIED and never returns the auth secret', async () => {
    const hook = await h.client.eventHookApi.createEventHook({
      eventHook: hookBody(receiver.url, ['group.user_membership.add']) as never,
    });
    expect([hook.status, hook.verificationStatus]).toEqual(['ACTIVE', 'UNVERIFIED']);
    const listed = await all(h.client.eventHookApi.listEventHooks());
    expect(JSON.stringify(listed)).not.toContain('hook-secret-1');
    expect(JSON.stringify(h.emulator.control.snapshot())).not.toContain('hook-secret-1');
  });

  it('verifies with the challenge and the auth header, and marks the hook VERIFIED', async () => {
    const id = await verifiedHook(['group.user_membership.add']);
    const get = receiver.received[0]!;
    expect(get.method).toBe('GET');
    expect(get.headers.authorization).toBe('hook-secret-1');
    expect(get.headers['x-extra']).toBe('yes');
    expect(get.headers['x-okta-verification-challenge']).toEqual(expect.any(String));
    const hook = await h.client.eventHookApi.getEventHook({ eventHookId: id });
    expect(hook.verificationStatus).toBe('VERIFIED');
  });

  it('fails verification with 400 when the answer is not the exact challenge', async () => {
    receiver.answer = () => ({ status: 200, body: JSON.stringify({ verification: 'wrong' }) });
    const hook = await h.client.eventHookApi.createEventHook({
      eventHook: hookBody(receiver.url, ['group.user_membership.add']) as never,
    });
    const err = await failure(h.client.eventHookApi.verifyEventHook({ eventHookId: hook.id! }));
    expect([err.status, err.errorCode]).toEqual([400, 'E0000001']);
    expect((await h.client.eventHookApi.getEventHook({ eventHookId: hook.id! })).verificationStatus).toBe(
      'UNVERIFIED',
    );
  });

  it('retries verification once after an error response, then verifies', async () => {
    let gets = 0;
    const challengeAnswer = receiver.answer;
    receiver.answer = (r) => (++gets === 1 ? { status: 503 } : challengeAnswer(r));
    const id = await verifiedHook(['group.user_membership.add']);
    expect(gets).toBe(2);
    expect((await h.client.eventHookApi.getEventHook({ eventHookId: id })).verificationStatus).toBe(
      'VERIFIED',
    );
  });

  it('answers 400 when verification fails twice (one retry only)', async () => {
    receiver.answer = () => ({ status: 500 });
    const hook = await h.client.eventHookApi.createEventHook({
      eventHook: hookBody(receiver.url, ['group.user_membership.add']) as never,
    });
    const err = await failure(h.client.eventHookApi.verifyEventHook({ eventHookId: hook.id! }));
    expect(err.status).toBe(400);
    expect(receiver.received.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('needs verification again after any change of the channel, not after a name change', async () => {
    const id = await verifiedHook(['group.user_membership.add']);
    const body = hookBody(receiver.url, ['group.user_membership.add']);
    const status = async () =>
      (await h.client.eventHookApi.getEventHook({ eventHookId: id })).verificationStatus;
    await h.client.eventHookApi.replaceEventHook({
      eventHookId: id,
      eventHook: { ...body, name: 'Renamed' } as never,
    });
    expect(await status()).toBe('VERIFIED');
    const rotated = structuredClone(body);
    rotated.channel.config.authScheme.value = 'hook-secret-2';
    await h.client.eventHookApi.replaceEventHook({ eventHookId: id, eventHook: rotated as never });
    expect(await status()).toBe('UNVERIFIED');
  });

  it('rejects a duplicate or over-long name and a reserved header with 400 E0000001', async () => {
    await h.client.eventHookApi.createEventHook({
      eventHook: hookBody(receiver.url, ['group.user_membership.add']) as never,
    });
    const create = (body: Json) =>
      failure(h.client.eventHookApi.createEventHook({ eventHook: body as never }));
    const base = hookBody(receiver.url, ['group.user_membership.add']);
    const duplicate = await create(base);
    expect([duplicate.status, duplicate.errorCode]).toEqual([400, 'E0000001']);
    expect((await create({ ...base, name: 'x'.repeat(256) })).status).toBe(400);
    const reserved = structuredClone(base) as Json;
    reserved.name = 'Other';
    reserved.channel.config.headers = [{ key: 'Accept', value: 'text/plain' }];
    expect((await create(reserved)).status).toBe(400);
  });

  it('deletes only INACTIVE hooks', async () => {
    const id = await verifiedHook(['group.user_membership.add']);
    const err = await failure(h.client.eventHookApi.deleteEventHook({ eventHookId: id }));
    expect(err.status).toBe(400);
    await h.client.eventHookApi.deactivateEventHook({ eventHookId: id });
    await h.client.eventHookApi.deleteEventHook({ eventHookId: id });
    expect(await all(h.client.eventHookApi.listEventHooks())).toHaveLength(0);
  });

  it('delivers membership events in the event-hook envelope, batched, with User and UserGroup targets', async () => {
    await verifiedHook(['group.user_membership.add', 'group.user_membership.remove']);
    await h.client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await h.client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });
    await h.emulator.control.flushHooks();
    const post = receiver.received.find((r) => r.method === 'POST')!;
    expect(post.headers.authorization).toBe('hook-secret-1');
    const envelope = JSON.parse(post.body);
    expect(envelope).toMatchObject({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      source: expect.stringMatching(/\/api\/v1\/eventHooks\/who/),
    });
    const events = receiver.posts().flatMap((p) => p.events);
    expect(events.map((e) => e.eventType)).toEqual([
      'group.user_membership.add',
      'group.user_membership.remove',
    ]);
    expect(receiver.posts().length).toBeLessThanOrEqual(2);
    const [add] = events;
    expect(add).toMatchObject({ version: '0', severity: 'INFO', outcome: { result: 'SUCCESS' } });
    expect(add!.target.find((t: { type: string }) => t.type === 'User').id).toBe(DEMO.users.newHire);
    expect(add!.target.find((t: { type: string }) => t.type === 'UserGroup').id).toBe(DEMO.groupId);
    expect(add!.actor.id).toBe(DEMO.adminId);
    for (const field of ['uuid', 'published', 'displayMessage', 'client', 'transaction', 'debugContext'])
      expect(add).toHaveProperty(field);
  });

  it('sends only subscribed types and nothing to unverified or inactive hooks', async () => {
    await verifiedHook(['user.lifecycle.suspend']);
    await h.client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    await h.emulator.control.flushHooks();
    expect(receiver.posts().flatMap((p) => p.events.map((e) => e.eventType))).toEqual([
      'user.lifecycle.suspend',
    ]);
    expect(h.emulator.control.events().map((e) => e.eventType)).toEqual([
      'group.user_membership.add',
      'user.lifecycle.suspend',
    ]);
  });

  it('emits app assignment events with AppUser, AppInstance and User targets', async () => {
    await verifiedHook(['application.user_membership.add', 'application.user_membership.remove']);
    await h.client.applicationApi.assignUserToApplication({
      appId: DEMO.appId,
      appUser: {
        id: DEMO.users.newHire,
        scope: 'USER',
        credentials: { userName: 'nina.newhire@example.com' },
      },
    });
    await h.client.applicationApi.unassignUserFromApplication({
      appId: DEMO.appId,
      userId: DEMO.users.newHire,
    });
    await h.emulator.control.flushHooks();
    const [added, removed] = receiver.posts().flatMap((p) => p.events);
    expect(added!.target.map((t: { type: string }) => t.type).sort()).toEqual([
      'AppInstance',
      'AppUser',
      'User',
    ]);
    const byType = (e: Json) => Object.fromEntries(e.target.map((t: Json) => [t.type, t]));
    const targets = byType(added!);
    // Okta's AppUser target is the assignment (0ua…), named by the app username; only User carries the user id.
    expect(targets.AppUser).toMatchObject({ alternateId: 'nina.newhire@example.com' });
    expect(targets.AppUser.id).toMatch(/^0ua[0-9A-Za-z]{17}$/);
    expect(targets.User).toMatchObject({ id: DEMO.users.newHire });
    expect(targets.AppInstance).toMatchObject({ id: DEMO.appId });
    expect(removed!.eventType).toBe('application.user_membership.remove');
    expect(byType(removed!).AppUser).toEqual(targets.AppUser);
  });

  it('retries once on 5xx and not on 4xx', async () => {
    await verifiedHook(['user.lifecycle.suspend', 'user.lifecycle.unsuspend']);
    receiver.answer = () => ({ status: 503 });
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    await h.emulator.control.flushHooks();
    receiver.answer = () => ({ status: 400 });
    await h.client.userApi.unsuspendUser({ userId: DEMO.users.newHire });
    await h.emulator.control.flushHooks();
    const attempts = h.emulator.control.deliveries().map((d) => [d.eventTypes[0], d.attempt, d.status]);
    expect(attempts).toEqual([
      ['user.lifecycle.suspend', 1, 503],
      ['user.lifecycle.suspend', 2, 503],
      ['user.lifecycle.unsuspend', 1, 400],
    ]);
  });

  it('refuses subscriptions to event types Okta does not make event-hook eligible', async () => {
    for (const type of ['user.lifecycle.delete.completed', 'app.keys.rotate', 'app.keys.generate']) {
      const err = await failure(
        h.client.eventHookApi.createEventHook({
          eventHook: hookBody(receiver.url, ['group.user_membership.add', type]) as never,
        }),
      );
      expect([err.status, err.errorCode]).toEqual([400, 'E0000001']);
      expect(err.errorCauses.map((c) => c.errorSummary).join(' ')).toContain(type);
    }
    expect(await all(h.client.eventHookApi.listEventHooks())).toHaveLength(0);
  });

  it('keeps the envelope eventId of a delivery across its retry', async () => {
    await verifiedHook(['user.lifecycle.suspend']);
    receiver.answer = (r) => (r.method === 'POST' ? { status: 503 } : { status: 200 });
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    await h.emulator.control.flushHooks();
    const ids = receiver.received
      .filter((r) => r.method === 'POST')
      .map((r) => (JSON.parse(r.body) as { eventId: string }).eventId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    const d = h.emulator.control.deliveries();
    expect(d.map((x) => x.deliveryId)).toEqual([ids[0], ids[0]]);
  });

  it('retries once when the receiver does not answer within the timeout', async () => {
    await verifiedHook(['user.lifecycle.suspend']);
    h.emulator.control.setHookSettings({ timeoutMs: 50 });
    let posts = 0;
    // The first POST is answered only after the emulator has given up waiting.
    receiver.answer = (r) =>
      r.method === 'POST' && ++posts === 1 ? { status: 200, delayMs: 200 } : { status: 200 };
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    await h.emulator.control.flushHooks();
    h.emulator.control.setHookSettings({ timeoutMs: 300 });
    const d = h.emulator.control.deliveries();
    expect(d.map((x) => [x.attempt, x.error ?? x.status])).toEqual([
      [1, 'timeout'],
      [2, 200],
    ]);
  });
});
