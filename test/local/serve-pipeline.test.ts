import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator, type SeedData } from '../../emulator/okta';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { resolvePolicy } from '../../src/domain/policy';
import { staticFingerprintStore } from '../../src/app-guard/fingerprint-store';
import { localAppCheck } from '../../src/local/app-check';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { createOktaClient } from '../../src/okta/client';
import { registerEventHook } from '../../src/okta/event-hooks';
import { tempDir } from '../app-guard/helpers';

/*
 * The local runtime (`serve`) end to end: every delivery comes from the emulator's own event hooks, every write
 * goes to the emulator through the real Okta SDK.
 */
const extraUsers = Array.from({ length: 40 }, (_, i) => ({
  id: `00ubatch${String(i).padStart(12, '0')}`,
  status: 'ACTIVE' as const,
  profile: {
    login: `batch${i}@example.com`,
    email: `batch${i}@example.com`,
    firstName: 'Batch',
    lastName: `User${i}`,
  },
}));
const seed: SeedData = { ...DEMO_SEED, users: [...(DEMO_SEED.users ?? []), ...extraUsers] };

describe('Integration: serve against the Okta emulator', () => {
  const tmp = tempDir();
  let emulator: RunningEmulator;
  let runtime: LocalRuntime;
  const hookSecret = randomBytes(24).toString('base64url');
  const appCheckLogs: { message: string; extra: Record<string, unknown> }[] = [];
  const recordingLogger = {
    info: (message: string, extra: Record<string, unknown>) => appCheckLogs.push({ message, extra }),
    warn: (message: string, extra: Record<string, unknown>) => appCheckLogs.push({ message, extra }),
    error: (message: string, extra: Record<string, unknown>) => appCheckLogs.push({ message, extra }),
  };

  async function oktaApi(method: string, path: string): Promise<number> {
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { Authorization: `SSWS ${emulator.token}`, Accept: 'application/json' },
    });
    await res.arrayBuffer();
    return res.status;
  }
  const addToGroup = (userId: string, groupId = DEMO.groupId): Promise<number> =>
    oktaApi('PUT', `/api/v1/groups/${groupId}/users/${userId}`);
  const removeFromGroup = (userId: string): Promise<number> =>
    oktaApi('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${userId}`);
  const isAssigned = (userId: string): boolean =>
    emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === userId);
  const userTypeOf = (userId: string): unknown =>
    (emulator.state.getUser(userId)?.profile as Record<string, unknown> | undefined)?.userType;

  async function settle(): Promise<void> {
    await emulator.control.flushHooks();
    expect(await runtime.idle(60_000)).toBe(true);
  }

  beforeAll(async () => {
    emulator = await startOktaEmulator({ seed, rateLimits: false, randomSeed: 7 });
    const client = createOktaClient({
      orgUrl: emulator.url,
      credentials: { kind: 'ssws', token: emulator.token },
    });
    runtime = await startLocalRuntime({
      onAppConfigEvents: localAppCheck({
        client,
        settings: {
          appId: DEMO.appId,
          realmSid: DEMO.realmSid,
          policy: resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${source.email}' }),
          appLabel: undefined,
        },
        fingerprints: staticFingerprintStore(undefined),
        logger: recordingLogger,
      }),
      settings: {
        ...settingsForOrg(emulator, { groupId: DEMO.groupId, appId: DEMO.appId }),
        hookSecret,
        maxReceives: 10,
        // Retry waits scaled down 100× so transient faults are retried within the test.
        retryBaseSeconds: 0.05,
        retryMaxSeconds: 3,
        dataDir: tmp.dir,
      },

      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      // Every exhausted bucket sends the item back to the queue, so the 429 path is exercised, not waited out.
      maxInlineWaitMs: 0,
    });
  });

  beforeEach(async () => {
    await emulator.control.reset();
    emulator.control.setRateLimits(false);
    emulator.control.setFaults({
      readErrorRate: 0,
      writeErrorRate: 0,
      hookDuplicateRate: 0,
      hookReorderRate: 0,
    });
    emulator.control.setHookSettings({ batchWindowMs: 50, maxBatchSize: 50 });
    const admin = createOktaClient({
      orgUrl: emulator.url,
      credentials: { kind: 'ssws', token: emulator.token },
    });
    const hook = await registerEventHook(admin, {
      name: 'Frontline provisioner',
      url: runtime.hookUrl,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret: hookSecret,
    });
    expect(hook.verified && hook.active).toBe(true);
    emulator.control.clearRequestLog();
  });

  afterAll(async () => {
    await runtime?.stop(2_000);
    await emulator?.stop();
    tmp.cleanup();
  });

  it('onboards a user added to the group: userType agent and a USER assignment named by email', async () => {
    expect(await addToGroup(DEMO.users.newHire)).toBe(204);
    await settle();

    expect(userTypeOf(DEMO.users.newHire)).toBe('agent');
    expect(emulator.state.listAppUsers(DEMO.appId)).toContainEqual(
      expect.objectContaining({
        id: DEMO.users.newHire,
        scope: 'USER',
        userName: 'nina.newhire@example.com',
      }),
    );
  });

  it('offboards users who leave the group or are deactivated, and a suspended one (default policy)', async () => {
    expect(isAssigned(DEMO.users.leaver)).toBe(true);
    expect(isAssigned(DEMO.users.agent)).toBe(true);
    expect(isAssigned(DEMO.users.lockedOut)).toBe(true);

    await removeFromGroup(DEMO.users.leaver);
    await oktaApi('POST', `/api/v1/users/${DEMO.users.agent}/lifecycle/suspend`);
    await oktaApi('POST', `/api/v1/users/${DEMO.users.lockedOut}/lifecycle/deactivate`);
    await settle();

    expect(isAssigned(DEMO.users.leaver)).toBe(false);
    // The default policy (remove) takes a suspended member's access away too.
    expect(isAssigned(DEMO.users.agent)).toBe(false);
    expect(isAssigned(DEMO.users.lockedOut)).toBe(false);
    expect(userTypeOf(DEMO.users.leaver)).toBe('agent');
  });

  it('ends in the right state when a removal is delivered before the addition it follows', async () => {
    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 120));
    const user = extraUsers[0]!.id;
    emulator.control.setFaults({ hookReorderRate: 1 });
    await addToGroup(user); // held back by the emulator…
    await pause();
    emulator.control.setFaults({ hookReorderRate: 0 });
    await removeFromGroup(user); // …and sent after this one
    await settle();

    const types = emulator.control.deliveries().flatMap((d) => d.eventTypes);
    expect(types).toEqual(['group.user_membership.remove', 'group.user_membership.add']);
    expect(isAssigned(user)).toBe(false);
    expect(userTypeOf(user)).toBeUndefined();
  });

  it('assigns once however often a delivery is duplicated', async () => {
    emulator.control.setFaults({ hookDuplicateRate: 1 });
    await addToGroup(DEMO.users.newHire);
    await settle();

    expect(emulator.control.deliveries().filter((d) => d.fault === 'duplicate')).toHaveLength(1);
    expect(isAssigned(DEMO.users.newHire)).toBe(true);
    const assigns = emulator.control
      .requestLog()
      .filter((e) => e.method === 'POST' && e.path === `/api/v1/apps/${DEMO.appId}/users`);
    expect(assigns).toHaveLength(1);
  });

  it('converges every user of a 40-event delivery', async () => {
    // A window long enough that the 40 joins land in one delivery however loaded the machine is.
    emulator.control.setHookSettings({ batchWindowMs: 2_000, maxBatchSize: 100 });
    await Promise.all(extraUsers.map((u) => addToGroup(u.id)));
    await settle();
    emulator.control.setHookSettings({ batchWindowMs: 50, maxBatchSize: 50 });

    // The 40 joins travel together; the worker's own assignments (application.user_membership.add) may share the
    // delivery, depending on timing, so only the joins are counted.
    const joinsPerDelivery = emulator.control
      .deliveries()
      .map((d) => d.eventTypes.filter((t) => t === 'group.user_membership.add').length);
    expect(Math.max(...joinsPerDelivery)).toBe(40);
    for (const u of extraUsers) {
      expect(isAssigned(u.id)).toBe(true);
      expect(userTypeOf(u.id)).toBe('agent');
    }
  });

  it('retries through transient Okta failures and 429s until every user converges, with no dead letters', async () => {
    const users = extraUsers.slice(0, 8);
    expect(await Promise.all(users.map((u) => addToGroup(u.id)))).toEqual(users.map(() => 204));
    // Faults start once HR's writes are in: from here on they hit the worker's calls.
    emulator.control.setFaults({ readErrorRate: 0.1, writeErrorRate: 0.1 });
    emulator.control.setRateLimits({ enabled: true, windowMs: 1_000, limits: { apps: 3, default: 600 } });
    await settle();
    emulator.control.setFaults({ readErrorRate: 0, writeErrorRate: 0 });

    const log = emulator.control.requestLog();
    expect(log.some((e) => e.cause === 'fault')).toBe(true);
    expect(runtime.failures()).toMatchObject({
      RetryLaterError: expect.any(Number),
      OktaTransientError: expect.any(Number),
    });
    expect(users.every((u) => isAssigned(u.id) && userTypeOf(u.id) === 'agent')).toBe(true);
    expect(runtime.queue.deadLetters().map((d) => d.lastError)).toEqual([]);
  }, 90_000);

  it('rejects bad deliveries without enqueuing anything', async () => {
    const post = (body: string | Buffer, secret = hookSecret): Promise<Response> =>
      fetch(runtime.hookUrl, {
        method: 'POST',
        headers: { Authorization: secret, 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
    const envelope = JSON.stringify({
      eventType: 'com.okta.event_hook',
      data: {
        events: [
          {
            uuid: 'e-1',
            eventType: 'group.user_membership.add',
            published: new Date().toISOString(),
            target: [
              { id: DEMO.users.newHire, type: 'User' },
              { id: DEMO.groupId, type: 'UserGroup' },
            ],
          },
        ],
      },
    });

    expect((await post(envelope, 'wrong-secret-value')).status).toBe(401);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ hello: 'world' }))).status).toBe(400);
    expect((await post(Buffer.alloc(2 * 1024 * 1024, 0x20))).status).toBe(413);
    await settle();

    expect(isAssigned(DEMO.users.newHire)).toBe(false);
    expect(emulator.control.requestLog().filter((e) => e.path.startsWith('/api/v1/'))).toHaveLength(0);
  });

  it('checks the app promptly when an admin deactivates it in Okta, and reports the finding', async () => {
    appCheckLogs.length = 0;
    await oktaApi('POST', `/api/v1/apps/${DEMO.appId}/lifecycle/deactivate`);
    await settle();
    const deadline = Date.now() + 10_000;
    while (appCheckLogs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    expect(appCheckLogs).toEqual([
      expect.objectContaining({
        message: 'app check after an Okta app change',
        extra: expect.objectContaining({
          eventTypes: ['application.lifecycle.deactivate'],
          findings: [expect.objectContaining({ path: 'status', severity: 'breaks-sso' })],
        }),
      }),
    ]);
  });

  it('touches nothing for membership changes in other groups', async () => {
    await addToGroup(DEMO.users.newHire, DEMO.salesGroupId);
    await settle();

    expect(emulator.control.deliveries().length).toBeGreaterThan(0);
    const oktaCalls = emulator.control
      .requestLog()
      .filter((e) => e.path.startsWith('/api/v1/') && !e.path.startsWith('/api/v1/groups/'));
    expect(oktaCalls).toHaveLength(0);
    expect(isAssigned(DEMO.users.newHire)).toBe(false);
  });
});
