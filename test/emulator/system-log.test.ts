import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO, DEMO_SEED, type LogEvent } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { failure, raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DAY = 24 * 3600 * 1000;

function links(res: { headers: Headers }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (res.headers.get('link') ?? '').split(/,\s*(?=<)/)) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (m) out[m[2]!] = m[1]!;
  }
  return out;
}

describe('Okta emulator: System Log (GET /api/v1/logs)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      seed: {
        ...DEMO_SEED,
        serviceApps: [
          { clientId: '0oalogreader00000001', publicJwk, scopes: ['okta.logs.read'] },
          { clientId: '0oanologs00000000001', publicJwk, scopes: ['okta.users.read'] },
        ],
      },
      hooks: { batchWindowMs: 10, timeoutMs: 300 },
    });
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const logsUrl = (query: string) => `${h.emulator.url}/api/v1/logs?${query}`;
  const since = () => new Date(Date.now() - 60_000).toISOString();
  const poll = (extra = '') =>
    raw(h.client, 'GET', logsUrl(`since=${encodeURIComponent(since())}&sortOrder=ASCENDING${extra}`));

  it('answers a polling request in persistence order with a next link, even when nothing is new', async () => {
    await h.client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    const first = await poll();
    const events = first.json() as LogEvent[];
    expect(events.map((e) => e.eventType)).toContain('group.user_membership.add');
    const next = links(first).next!;
    expect(next).toEqual(expect.stringContaining('after='));
    expect(new URL(next).searchParams.has('since')).toBe(false);
    const empty = await raw(h.client, 'GET', next);
    expect(empty.json()).toEqual([]);
    const again = links(empty).next!;
    expect(again).toBeDefined();
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    const fresh = (await raw(h.client, 'GET', again)).json() as LogEvent[];
    expect(fresh.map((e) => e.eventType)).toEqual(['user.lifecycle.suspend']);
  });

  it('pages a backlog by limit without losing or repeating an event', async () => {
    for (const uid of [DEMO.users.newHire, DEMO.users.wrongType, DEMO.users.strayAssignee])
      await h.client.userApi.suspendUser({ userId: uid });
    const seen: string[] = [];
    let url = logsUrl(
      `since=${encodeURIComponent(since())}&sortOrder=ASCENDING&limit=1&filter=${encodeURIComponent('eventType eq "user.lifecycle.suspend"')}`,
    );
    for (let i = 0; i < 5; i++) {
      const res = await raw(h.client, 'GET', url);
      seen.push(...(res.json() as LogEvent[]).map((e) => e.uuid));
      url = links(res).next!;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('filters on eventType with or, and on target.id', async () => {
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    await h.client.userApi.unsuspendUser({ userId: DEMO.users.newHire });
    await h.client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    const types = async (filter: string) =>
      ((await poll(`&filter=${encodeURIComponent(filter)}`)).json() as LogEvent[]).map((e) => e.eventType);
    expect(
      await types('eventType eq "user.lifecycle.suspend" or eventType eq "user.lifecycle.unsuspend"'),
    ).toEqual(['user.lifecycle.suspend', 'user.lifecycle.unsuspend']);
    expect(await types(`target.id eq "${DEMO.groupId}"`)).toEqual(['group.user_membership.add']);
    expect(
      await types(`eventType eq "group.user_membership.add" and target.id eq "${DEMO.users.newHire}"`),
    ).toEqual(['group.user_membership.add']);
    const bad = await failure(poll(`&filter=${encodeURIComponent('eventType eqq "x"')}`));
    expect([bad.status, bad.errorCode]).toEqual([400, 'E0000053']);
  });

  it('matches q keywords, all of them, case-insensitively', async () => {
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    await h.client.userApi.suspendUser({ userId: DEMO.users.wrongType });
    const user = h.emulator.state.getUser(DEMO.users.newHire) as Json;
    const hits = (
      await poll(`&q=${encodeURIComponent(`SUSPEND ${String(user.profile.login)}`)}`)
    ).json() as Json[];
    expect(hits).toHaveLength(1);
    expect(hits[0]!.target[0].id).toBe(DEMO.users.newHire);
  });

  it('refuses since with after, and since more than 180 days back (E0000053)', async () => {
    const first = await poll();
    const after = new URL(links(first).next!).searchParams.get('after')!;
    const both = await failure(raw(h.client, 'GET', logsUrl(`since=${since()}&after=${after}`)));
    expect(both.status).toBe(400);
    const old = new Date(Date.now() - 181 * DAY).toISOString();
    const tooOld = await failure(raw(h.client, 'GET', logsUrl(`since=${old}`)));
    expect([tooOld.status, tooOld.errorCode]).toEqual([400, 'E0000053']);
    expect(tooOld.errorSummary).toContain('180 days');
  });

  it('keeps 90 days: older events are not returned even when since reaches back further', async () => {
    const at = (days: number) => ({
      ...(h.emulator.control.events()[0] ?? {}),
      uuid: `old-${days}`,
      eventType: 'user.lifecycle.suspend',
      published: new Date(Date.now() - days * DAY).toISOString(),
    });
    h.emulator.control.persistLogEvent(at(100) as LogEvent);
    h.emulator.control.persistLogEvent(at(80) as LogEvent);
    const res = await raw(
      h.client,
      'GET',
      logsUrl(`since=${new Date(Date.now() - 170 * DAY).toISOString()}&sortOrder=ASCENDING`),
    );
    expect((res.json() as LogEvent[]).map((e) => e.uuid)).toEqual(['old-80']);
  });

  it('returns a late-persisted event after later ones in a poll, and in published order when bounded', async () => {
    h.emulator.control.setFaults({ logDelayRate: 1, logDelayMs: 60_000 });
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    h.emulator.control.setFaults({ logDelayRate: 0 });
    await new Promise((r) => setTimeout(r, 5));
    await h.client.userApi.suspendUser({ userId: DEMO.users.wrongType });
    const before = (await poll()).json() as Json[];
    expect(before.map((e) => e.target[0].id)).toEqual([DEMO.users.wrongType]);
    h.emulator.control.flushLog();
    const polled = (await poll()).json() as Json[];
    expect(polled.map((e) => e.target[0].id)).toEqual([DEMO.users.wrongType, DEMO.users.newHire]);
    expect(Date.parse(polled[1]!.published)).toBeLessThan(Date.parse(polled[0]!.published));
    const bounded = await raw(
      h.client,
      'GET',
      logsUrl(
        `since=${encodeURIComponent(since())}&until=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`,
      ),
    );
    expect((bounded.json() as Json[]).map((e) => e.target[0].id)).toEqual([
      DEMO.users.newHire,
      DEMO.users.wrongType,
    ]);
    expect(links(bounded).next).toBeUndefined();
  });

  it('logs events whose hook delivery was dropped, and event_hook.delivery for a failed one', async () => {
    let answer = 200;
    const server: Server = createServer((req, res) => {
      const challenge = req.headers['x-okta-verification-challenge'];
      req.resume();
      req.on('end', () => {
        res.writeHead(challenge ? 200 : answer, { 'content-type': 'application/json' });
        res.end(challenge ? JSON.stringify({ verification: challenge }) : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const hook = await h.client.eventHookApi.createEventHook({
        eventHook: {
          name: 'catch-up test',
          events: { type: 'EVENT_TYPE', items: ['user.lifecycle.suspend', 'user.lifecycle.unsuspend'] },
          channel: {
            type: 'HTTP',
            version: '1.0.0',
            config: { uri, authScheme: { type: 'HEADER', key: 'Authorization', value: 's' } },
          },
        } as never,
      });
      await h.client.eventHookApi.verifyEventHook({ eventHookId: hook.id! });
      h.emulator.control.setFaults({ hookDropRate: 1 });
      await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
      await h.emulator.control.flushHooks();
      h.emulator.control.setFaults({ hookDropRate: 0 });
      answer = 500;
      await h.client.userApi.unsuspendUser({ userId: DEMO.users.newHire });
      await h.emulator.control.flushHooks();
      expect(h.emulator.control.deliveries().map((d) => d.fault ?? d.status)).toEqual(['dropped', 500, 500]);
      const events = (await poll()).json() as Json[];
      expect(events.map((e) => e.eventType)).toEqual([
        'user.lifecycle.suspend',
        'user.lifecycle.unsuspend',
        'event_hook.delivery',
        'event_hook.delivery',
      ]);
      const failed = events.at(-1)!;
      expect(failed.outcome.result).toBe('FAILURE');
      expect(failed.target[0]).toMatchObject({ id: hook.id, type: 'EventHook' });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('meters /api/v1/logs in its own bucket and needs okta.logs.read for OAuth apps', async () => {
    const res = await poll();
    // 50% of the logs bucket's smaller plan figure, 50/min (emulator/okta/rate-limits.ts LOGS_LIMIT_BY_PLAN).
    expect(res.headers.get('x-rate-limit-limit')).toBe('25');
    expect(h.emulator.control.requestLog().at(-1)!.bucket).toBe('logs');
    const as = (clientId: string, scopes: string[]) =>
      createOktaClient({
        orgUrl: h.emulator.url,
        credentials: { kind: 'private-key', clientId, privateKey: privatePem, keyId: 'k1', scopes },
      });
    const reader = await raw(
      as('0oalogreader00000001', ['okta.logs.read']),
      'GET',
      logsUrl('sortOrder=ASCENDING'),
    );
    expect(reader.status).toBe(200);
    const denied = await failure(
      raw(as('0oanologs00000000001', ['okta.users.read']), 'GET', logsUrl('sortOrder=ASCENDING')),
    );
    expect([denied.status, denied.errorCode]).toEqual([403, 'E0000006']);
  });
});
