import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { membershipDelivery, postDelivery } from '../../scripts/bench/serve-process';
import { readLocalStatus } from '../../src/sqlite/read-status';
import { tempDir } from '../app-guard/helpers';

describe('Integration: serve health and backstop', () => {
  let emulator: RunningEmulator;
  let runtime: LocalRuntime;
  const tmp = tempDir();
  const secret = randomBytes(24).toString('base64url');
  const assigned = (id: string) => emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === id);
  const healthz = async () =>
    // The queue counts are shown only to a caller with the hook secret.
    (await fetch(`${runtime.url}/healthz`, { headers: { Authorization: secret } })).json() as Promise<
      Record<string, unknown>
    >;

  beforeAll(async () => {
    emulator = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
    runtime = await startLocalRuntime({
      settings: {
        ...settingsForOrg(emulator, { groupId: DEMO.groupId, appId: DEMO.appId }),
        hookSecret: secret,
        maxReceives: 2,
        retryBaseSeconds: 0.01,
        retryMaxSeconds: 0.05,
        dataDir: tmp.dir,
      },
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    });
  });
  afterAll(async () => {
    await runtime.stop(2_000);
    await emulator.stop();
    tmp.cleanup();
  });

  it('reports degraded while a dead letter exists, and ok again once it is replayed and converges', async () => {
    expect(await healthz()).toMatchObject({ status: 'ok' });
    await fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });
    emulator.control.setFaults({ readErrorRate: 1 });
    const body = membershipDelivery(DEMO.groupId, [{ uuid: 'health-1', userId: DEMO.users.newHire }]);
    expect(await postDelivery(runtime.hookUrl, secret, body)).toBe(200);
    expect(await runtime.idle(10_000)).toBe(true);

    expect(await healthz()).toMatchObject({ status: 'degraded', queue: { dead: 1 } });
    emulator.control.setFaults({ readErrorRate: 0 });
    expect(runtime.queue.replay().replayed).toHaveLength(1);
    expect(await runtime.idle(10_000)).toBe(true);
    expect(assigned(DEMO.users.newHire)).toBe(true);
    expect(await healthz()).toMatchObject({ status: 'ok', queue: { dead: 0 } });
  });

  it('runs the full reconcile through the queue and converges what no hook reported', async () => {
    // No event hook is registered in this org, so nothing but the backstop hears of this.
    await fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.strayAssignee}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });
    expect(assigned(DEMO.users.strayAssignee)).toBe(true);
    await fetch(`${emulator.url}/api/v1/apps/${DEMO.appId}/users/${DEMO.users.strayAssignee}`, {
      method: 'DELETE',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });
    const run = await runtime.backstop.runOnce();
    expect(run.guardTripped).toBe(false);
    expect(run.enqueued).toBeGreaterThan(0);
    expect(await runtime.idle(10_000)).toBe(true);
    expect(assigned(DEMO.users.strayAssignee)).toBe(true);
  });

  it('records each run in the database, where status reads it from another connection', async () => {
    const run = await runtime.backstop.runOnce();

    expect(readLocalStatus(tmp.dir, DEMO.appId)?.lastReconcile).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      outcome: 'planned',
      plannedChanges: expect.any(Number),
      enqueued: run.enqueued,
    });
  });
});
