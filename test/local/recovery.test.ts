import { Logger } from '@aws-lambda-powertools/logger';
import { rmSync } from 'node:fs';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator, type SeedData } from '../../emulator/okta';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';

const USERS = Array.from({ length: 30 }, (_, i) => ({
  id: `00urecover${String(i).padStart(10, '0')}`,
  status: 'ACTIVE' as const,
  profile: { login: `r${i}@example.com`, email: `r${i}@example.com`, firstName: 'R', lastName: `${i}` },
}));
const SEED: SeedData = {
  ...DEMO_SEED,
  users: [...(DEMO_SEED.users ?? []), ...USERS],
  memberships: {
    ...DEMO_SEED.memberships,
    [DEMO.groupId]: [...(DEMO_SEED.memberships?.[DEMO.groupId] ?? []), ...USERS.map((u) => u.id)],
  },
};

function delivery(): string {
  return JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://example.okta.com/api/v1/eventHooks/who0000000000000000',
    eventId: 'recovery-delivery',
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    data: {
      events: USERS.map((u, i) => ({
        uuid: `recovery-${i}`,
        published: new Date().toISOString(),
        eventType: 'group.user_membership.add',
        version: '0',
        severity: 'INFO',
        displayMessage: 'Add user to group membership',
        target: [
          { id: u.id, type: 'User', alternateId: u.profile.login, displayName: u.id },
          { id: DEMO.groupId, type: 'UserGroup', alternateId: 'unknown', displayName: 'Frontline Agents' },
        ],
      })),
    },
  });
}

/*
 * The retry policy of `serve` (src/worker/okta-outage.ts): the backoff grows with how long Okta has been failing,
 * and once Okta answers again every parked item comes back within seconds, whatever its own failures were.
 */
describe('Integration: serve recovers within seconds of Okta answering again', () => {
  let emulator: RunningEmulator;
  let runtime: LocalRuntime;
  let dataDir = '';
  beforeAll(async () => {
    emulator = await startOktaEmulator({ seed: SEED, rateLimits: false, randomSeed: 7 });
    // The documented defaults: 5 s doubling to 300 s.
    const settings = settingsForOrg(emulator, { groupId: DEMO.groupId, appId: DEMO.appId });
    dataDir = settings.dataDir;
    expect([settings.retryBaseSeconds, settings.retryMaxSeconds]).toEqual([5, 300]);
    runtime = await startLocalRuntime({
      settings,
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    });
    emulator.control.setFaults({ readErrorRate: 1, writeErrorRate: 1 });
    const res = await fetch(runtime.hookUrl, {
      method: 'POST',
      headers: { Authorization: settings.hookSecret, 'content-type': 'application/json' },
      body: delivery(),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await runtime.stop(2_000);
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const converged = () => {
    const assigned = new Set(emulator.state.listAppUsers(DEMO.appId).map((u) => u.id));
    return USERS.filter((u) => assigned.has(u.id)).length;
  };

  it('converges every user within 5 s of a 19 s outage ending, with no dead letter', async () => {
    await new Promise((r) => setTimeout(r, 19_000));
    const failed = runtime.failures().OktaTransientError ?? 0;
    expect(failed).toBeGreaterThan(USERS.length); // every item failed, most more than once
    // Probes only: the parked items are not retried every few seconds while Okta keeps failing.
    expect(failed).toBeLessThan(USERS.length * 5);
    emulator.control.setFaults({ readErrorRate: 0, writeErrorRate: 0 });
    const healed = Date.now();
    while (converged() < USERS.length && Date.now() - healed < 20_000)
      await new Promise((r) => setTimeout(r, 100));
    const tookMs = Date.now() - healed;
    expect(converged()).toBe(USERS.length);
    // Per item, the waits would have been 5, 10, 20 s from each item's own first failure (+20% jitter): the
    // third retry would come 16 s or more after Okta answered again.
    expect(tookMs).toBeLessThan(5_000);
    expect(runtime.queue.stats().dead).toBe(0);
  }, 45_000);
});
