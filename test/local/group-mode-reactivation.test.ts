import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { resolvePolicy } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { startBackstop } from '../../src/local/backstop';
import { createOktaClient } from '../../src/okta/client';

/*
 * Group mode after the Frontline app is deactivated and activated again. Okta (help.okta.com, "Deactivate app
 * integrations"): "Deactivating an app results in a reconciliation being performed for all users who were assigned
 * to the app through group assignments. The reconciliation process removes the app assignment for the deactivated
 * app." The group assignments stay listed, and Okta documents no restore of the members' assignments on activation
 * (the emulator makes none). The backstop's reconcile sees members without the app while their group is assigned,
 * and assigns the group again, which has Okta assign them.
 */
describe('Function: the backstop in group mode after the app was deactivated and activated again', () => {
  let okta: RunningEmulator;
  beforeAll(async () => {
    okta = await startOktaEmulator({
      seed: {
        ...DEMO_SEED,
        appGroups: [...(DEMO_SEED.appGroups ?? []), { appId: DEMO.appId, groupId: DEMO.groupId }],
      },
      rateLimits: false,
    });
  });
  afterAll(() => okta.stop());

  const groupHeld = () =>
    okta.state
      .listAppUsers(DEMO.appId)
      .filter((u) => u.scope === 'GROUP')
      .map((u) => u.id)
      .sort();
  const lifecycle = (op: string) =>
    fetch(`${okta.url}/api/v1/apps/${DEMO.appId}/lifecycle/${op}`, {
      method: 'POST',
      headers: { Authorization: `SSWS ${okta.token}` },
    });

  it('gives every entitled member the app back on its next run, and does nothing more on the run after', async () => {
    const before = groupHeld();
    expect(before.length).toBeGreaterThan(3);
    await lifecycle('deactivate');
    expect(groupHeld()).toEqual([]);
    await lifecycle('activate');
    expect(groupHeld()).toEqual([]); // no restore by Okta

    const queued: WorkItem[] = [];
    const backstop = startBackstop({
      client: createOktaClient({ orgUrl: okta.url, credentials: { kind: 'ssws', token: okta.token } }),
      queue: { enqueue: async (items) => void queued.push(...items) },
      settings: {
        appId: DEMO.appId,
        policy: resolvePolicy({ groupIds: [DEMO.groupId], assignmentMode: 'group' }),
        realmSid: undefined,
        appLabel: undefined,
        reconcileIntervalSeconds: 0,
      },
      fingerprints: { writable: false, get: async () => undefined, confirm: async () => undefined },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await backstop.runOnce();
    expect(groupHeld()).toEqual(before);

    okta.control.clearRequestLog();
    await backstop.runOnce();
    const groupWrites = okta.control
      .requestLog()
      .filter((r) => r.method === 'PUT' && r.path.includes('/groups/'));
    expect(groupWrites).toEqual([]);
  });
});
