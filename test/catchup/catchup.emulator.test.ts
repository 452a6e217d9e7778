import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { runCatchup } from '../../src/catchup/catchup';
import { memoryCursorStore } from '../../src/catchup/cursor-store';
import type { WorkItem } from '../../src/domain/work-item';
import { createOktaClient } from '../../src/okta/client';
import { readLogPage } from '../../src/okta/system-log';

describe('Function: runCatchup against the emulator', () => {
  let emulator: RunningEmulator;
  const logger = { info: () => undefined, warn: () => undefined };
  const client = () =>
    createOktaClient({ orgUrl: emulator.url, credentials: { kind: 'ssws', token: emulator.token } });
  const api = (method: string, path: string) =>
    fetch(`${emulator.url}${path}`, { method, headers: { Authorization: `SSWS ${emulator.token}` } });
  const users = () => [DEMO.users.newHire, DEMO.users.strayAssignee];

  beforeEach(async () => {
    emulator = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
  });
  afterEach(() => emulator.stop());

  it('loses no event across pages and moves the cursor only past enqueued work', async () => {
    for (const id of users()) await api('PUT', `/api/v1/groups/${DEMO.groupId}/users/${id}`);
    for (const id of users()) await api('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${id}`);
    const enqueued: WorkItem[] = [];
    const cursor = memoryCursorStore();
    const deps = {
      readPage: (url: string) => readLogPage(client(), url),
      cursor,
      queue: { enqueue: async (items: readonly WorkItem[]) => void enqueued.push(...items) },
      target: { groupIds: [DEMO.groupId], appId: DEMO.appId },
      logger,
    };

    const summary = await runCatchup(deps, { pageSize: 1, maxPages: 50 });

    const triggers = enqueued.flatMap((i) => i.triggers.map((t) => `${i.userId}:${t.eventType}`));
    for (const id of users()) {
      expect(triggers).toContain(`${id}:group.user_membership.add`);
      expect(triggers).toContain(`${id}:group.user_membership.remove`);
    }
    expect(summary.pages).toBeGreaterThanOrEqual(4);
    expect(summary.backlog).toBe(false);
    const again = await runCatchup(deps, { pageSize: 2 });
    expect(again).toMatchObject({ pages: 1, events: 0, fromCursor: true });
  });

  it('stops at the page budget and resumes from the saved cursor', async () => {
    for (const id of users()) await api('PUT', `/api/v1/groups/${DEMO.groupId}/users/${id}`);
    const seen: string[] = [];
    const deps = {
      readPage: (url: string) => readLogPage(client(), url),
      cursor: memoryCursorStore(),
      queue: { enqueue: async (items: readonly WorkItem[]) => void seen.push(...items.map((i) => i.userId)) },
      target: { groupIds: [DEMO.groupId], appId: DEMO.appId },
      logger,
    };
    const first = await runCatchup(deps, { pageSize: 1, maxPages: 1 });
    expect(first).toMatchObject({ pages: 1, backlog: true });
    await runCatchup(deps, { pageSize: 1, maxPages: 10 });
    expect(seen).toEqual(users());
  });

  it('keeps the cursor where it was when the enqueue fails', async () => {
    await api('PUT', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`);
    const cursor = memoryCursorStore();
    const failing = {
      readPage: (url: string) => readLogPage(client(), url),
      cursor,
      queue: {
        enqueue: async () => {
          throw new Error('queue down');
        },
      },
      target: { groupIds: [DEMO.groupId], appId: DEMO.appId },
      logger,
    };
    await expect(runCatchup(failing)).rejects.toThrow('queue down');
    expect(cursor.value).toBeUndefined();
    const enqueued: string[] = [];
    await runCatchup({
      ...failing,
      queue: {
        enqueue: async (items: readonly WorkItem[]) => void enqueued.push(...items.map((i) => i.userId)),
      },
    });
    expect(enqueued).toEqual([DEMO.users.newHire]);
  });

  it('counts failed hook deliveries that Okta logs', async () => {
    emulator.control.persistLogEvent({
      ...emulator.control.events()[0]!,
      uuid: 'failed-delivery-1',
      eventType: 'event_hook.delivery',
      published: new Date().toISOString(),
    });
    const summary = await runCatchup({
      readPage: (url: string) => readLogPage(client(), url),
      cursor: memoryCursorStore(),
      queue: { enqueue: async () => undefined },
      target: { groupIds: [DEMO.groupId], appId: DEMO.appId },
      logger,
    });
    expect(summary.failedDeliveries).toBe(1);
  });

  it('refuses a next link that leaves the org', async () => {
    const deps = {
      readPage: (url: string) => readLogPage(client(), url),
      cursor: memoryCursorStore('https://elsewhere.example/api/v1/logs?after=x'),
      queue: { enqueue: async () => undefined },
      target: { groupIds: [DEMO.groupId] },
      logger,
    };
    await expect(runCatchup(deps)).rejects.toThrow(/not to the org/);
  });
});
