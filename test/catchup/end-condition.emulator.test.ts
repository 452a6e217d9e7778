import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { runCatchup } from '../../src/catchup/catchup';
import { memoryCursorStore } from '../../src/catchup/cursor-store';
import { run as hookCommand, SILENT_WINDOW_NOTE } from '../../src/cli/hook';
import type { WorkItem } from '../../src/domain/work-item';
import { createOktaClient } from '../../src/okta/client';
import { readLogPage } from '../../src/okta/system-log';
import { captureOutput } from '../app-guard/helpers';

const SECRET = 'hook-secret-for-tests-0123456789';
const logger = { info: () => undefined, warn: () => undefined };

describe('Function: runCatchup reads to Okta’s documented end, an empty page', () => {
  let emulator: RunningEmulator;
  const client = () =>
    createOktaClient({ orgUrl: emulator.url, credentials: { kind: 'ssws', token: emulator.token } });
  const api = (method: string, path: string) =>
    fetch(`${emulator.url}${path}`, { method, headers: { Authorization: `SSWS ${emulator.token}` } });

  beforeEach(async () => {
    emulator = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
  });
  afterEach(() => emulator.stop());

  const depsWith = (enqueued: WorkItem[], pages: number[]) => ({
    readPage: async (url: string) => {
      const page = await readLogPage(client(), url);
      pages.push(page.events.length);
      return page;
    },
    cursor: memoryCursorStore(),
    queue: { enqueue: async (items: readonly WorkItem[]) => void enqueued.push(...items) },
    target: { groupIds: [DEMO.groupId], appId: DEMO.appId },
    logger,
  });

  // System Log query reference: polling pages are followed "until no events are returned". The emulator's pages are
  // short while events outside the catch-up's filter (here group creations) fill its slice of the log.
  it('keeps reading past a short page while events wait, and stops at the first empty page', async () => {
    const joiners = [DEMO.users.newHire, DEMO.users.strayAssignee];
    for (const [i, id] of joiners.entries()) {
      for (const n of [1, 2]) {
        await fetch(`${emulator.url}/api/v1/groups`, {
          method: 'POST',
          headers: { Authorization: `SSWS ${emulator.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ profile: { name: `Unrelated ${i}-${n}` } }),
        });
      }
      await api('PUT', `/api/v1/groups/${DEMO.groupId}/users/${id}`);
    }
    const enqueued: WorkItem[] = [];
    const pages: number[] = [];
    const summary = await runCatchup(depsWith(enqueued, pages), { pageSize: 2, maxPages: 20 });
    expect(new Set(enqueued.map((i) => i.userId))).toEqual(new Set(joiners));
    // A short page came before the end: the old "short page = caught up" rule would have missed joiners.
    expect(pages.slice(0, -1).some((n) => n > 0 && n < 2)).toBe(true);
    expect(pages.at(-1)).toBe(0);
    expect(summary.backlog).toBe(false);
  });

  it('costs one call when idle', async () => {
    const deps = depsWith([], []);
    await runCatchup(deps);
    const idle = await runCatchup(deps);
    expect(idle).toMatchObject({ pages: 1, events: 0, fromCursor: true });
  });
});

describe('The silent window of a freshly registered hook', () => {
  let emulator: RunningEmulator;
  let server: Server;
  let url = '';
  let delivered = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const challenge = req.headers['x-okta-verification-challenge'];
      req.resume();
      req.on('end', () => {
        if (req.method === 'POST') delivered += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(typeof challenge === 'string' ? JSON.stringify({ verification: challenge }) : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/event-hook`;
    // Okta's event hooks guide: a new or changed hook "may take several minutes" before it delivers.
    emulator = await startOktaEmulator({
      seed: DEMO_SEED,
      rateLimits: false,
      hooks: { startDelayMs: 60_000 },
    });
  });
  afterAll(async () => {
    await emulator.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('hook register says so, and the catch-up converges what changed in it', async () => {
    const env = { OKTA_ORG_URL: emulator.url, OKTA_API_TOKEN: emulator.token, OKTA_HOOK_SECRET: SECRET };
    const registered = await captureOutput(() => hookCommand(['register', '--url', url], env));
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain(SILENT_WINDOW_NOTE);
    expect(SILENT_WINDOW_NOTE).toMatch(/catch-up/);

    await fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });
    await emulator.control.flushHooks();
    expect(delivered).toBe(0);

    const enqueued: WorkItem[] = [];
    const client = createOktaClient({
      orgUrl: emulator.url,
      credentials: { kind: 'ssws', token: emulator.token },
    });
    await runCatchup({
      readPage: (u: string) => readLogPage(client, u),
      cursor: memoryCursorStore(),
      queue: { enqueue: async (items: readonly WorkItem[]) => void enqueued.push(...items) },
      target: { groupIds: [DEMO.groupId], appId: DEMO.appId },
      logger,
    });
    expect(enqueued.map((i) => i.userId)).toContain(DEMO.users.newHire);
  });
});
