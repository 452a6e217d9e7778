import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { EVENT_HOOK_NAME } from '../../src/bootstrap/resource-types';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { createOktaClient } from '../../src/okta/client';
import { registerEventHook, upsertEventHook } from '../../src/okta/event-hooks';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { openLocalDatabase } from '../../src/sqlite/database';
import { sqliteCursorStore } from '../../src/sqlite/cursor-store';
import { tempDir } from '../app-guard/helpers';

describe('Integration: serve catches up from the System Log', () => {
  let emulator: RunningEmulator;
  let runtime: LocalRuntime;
  const tmp = tempDir();
  const secret = randomBytes(24).toString('base64url');
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const assigned = (id: string) => emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === id);
  const okta = () =>
    createOktaClient({ orgUrl: emulator.url, credentials: { kind: 'ssws', token: emulator.token } });
  const healthz = async () =>
    // The reasons are shown only to a caller with the hook secret.
    (await fetch(`${runtime.url}/healthz`, { headers: { Authorization: secret } })).json() as Promise<{
      status: string;
      reasons: string[];
    }>;
  const start = () =>
    startLocalRuntime({
      settings: {
        ...settingsForOrg(emulator, { groupId: DEMO.groupId, appId: DEMO.appId }),
        hookSecret: secret,
        dataDir: tmp.dir,
      },
      logger,
    });
  const addToGroup = (userId: string) =>
    fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${userId}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });
  const hookSpec = (url: string) => ({
    name: EVENT_HOOK_NAME,
    url,
    eventTypes: SUBSCRIBED_EVENT_TYPES,
    authHeader: 'Authorization',
    secret,
  });

  beforeAll(async () => {
    emulator = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
    runtime = await start();
  });
  afterAll(async () => {
    await runtime.stop(2_000);
    await emulator.stop();
    tmp.cleanup();
  });

  it('converges a change whose hook delivery was dropped', async () => {
    const registered = await registerEventHook(okta(), hookSpec(runtime.hookUrl));
    expect(registered.verified && registered.active).toBe(true);
    emulator.control.setFaults({ hookDropRate: 1 });
    await addToGroup(DEMO.users.newHire);
    await emulator.control.flushHooks();
    expect(await runtime.idle(5_000)).toBe(true);
    expect(assigned(DEMO.users.newHire)).toBe(false);

    const { summary, hook } = await runtime.catchup.runOnce();
    expect(summary.enqueued).toBeGreaterThan(0);
    expect(hook.state).toBe('ok');
    expect(await runtime.idle(10_000)).toBe(true);
    expect(assigned(DEMO.users.newHire)).toBe(true);
    emulator.control.setFaults({ hookDropRate: 0 });
  });

  it('keeps the cursor across a restart and does not read the same events again', async () => {
    // The worker's own assignment is logged too; read it now so only a lost cursor would bring events back.
    await runtime.catchup.runOnce();
    expect(await runtime.idle(10_000)).toBe(true);
    await emulator.control.flushHooks();
    await runtime.stop(2_000);
    const db = openLocalDatabase(tmp.dir);
    const saved = await sqliteCursorStore(db).get();
    db.close();
    expect(saved?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/logs\?.*after=/);

    runtime = await start();
    const { summary } = await runtime.catchup.runOnce();
    expect(summary).toMatchObject({ fromCursor: true, enqueued: 0, pages: 1 });
    // Only deliveries Okta attempted while serve was down can be new (event_hook.delivery); nothing read before.
    expect(summary.events).toBe(summary.failedDeliveries);
  });

  it('reports an unverified hook as degraded, and re-verifies it once the receiver answers', async () => {
    // Pointing the hook elsewhere makes Okta require verification again; nothing answers there.
    await upsertEventHook(okta(), hookSpec('http://127.0.0.1:9/okta/event-hook'));
    const failed = await runtime.catchup.runOnce();
    expect(failed.hook.state).toBe('unverified');
    expect(await healthz()).toMatchObject({
      status: 'degraded',
      reasons: [expect.stringContaining('UNVERIFIED')],
    });

    await upsertEventHook(okta(), hookSpec(runtime.hookUrl));
    const repaired = await runtime.catchup.runOnce();
    expect(repaired.hook).toMatchObject({ state: 'ok', reverified: true });
    expect(await healthz()).toMatchObject({ status: 'ok' });
  });
});
