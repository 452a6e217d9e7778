import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import type { ReconcileDocument } from '../../src/cli/documents';
import { resolvePolicy } from '../../src/domain/policy';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { runScheduled } from '../../src/reconcile/scheduled';
import { RECONCILE_METRICS } from '../../src/telemetry';
import { jsonOf } from '../cli/helpers';
import { adminCall, captureOutput, clientFor, envFor, tempDir, useEmulatorOrg } from '../app-guard/helpers';

/*
 * Guard grants as removals are guarded (issue 20): a wrong group id (Everyone) must not hand Frontline to the org.
 */
let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

const assigned = () => new Set(emu.state.listAppUsers(DEMO.appId).map((u) => u.id));
const userTypeOf = (id: string) => (emu.state.getUser(id)?.profile as { userType?: unknown }).userType;
const everyone = () =>
  envFor(emu, join(tmp.dir, 'everyone.json'), { FRONTLINE_GROUP_ID: DEMO.everyoneGroupId });

describe('Command: reconcile with FRONTLINE_GROUP_ID set to Everyone', () => {
  it('stops before granting the org Frontline: nobody assigned, no userType overwritten (exit 1)', async () => {
    const before = assigned();

    const { code, stdout, stderr } = await captureOutput(() => reconcileCommand([], everyone()));

    expect(code).toBe(1);
    expect(stderr).toMatch(/mass-grant guard/);
    expect(stdout).toContain('Would gain Frontline');
    expect(assigned()).toEqual(before);
    expect(userTypeOf(DEMO.users.wrongType)).toBe('manager');
  });

  it('lists whom the plan would grant, the admin running it among them, on a dry run (exit 2)', async () => {
    const { code, doc } = await jsonOf<ReconcileDocument>(() =>
      reconcileCommand(['--dry-run', '--json'], everyone()),
    );

    expect(code).toBe(2);
    expect(doc.plan.grantGuard).toMatchObject({ tripped: true });
    expect(doc.plan.grantGuard.grants).toEqual(expect.arrayContaining([DEMO.adminId, DEMO.users.newHire]));
    expect(doc.plan.overwrites).toEqual(
      expect.arrayContaining([{ userId: DEMO.users.wrongType, previous: 'manager' }]),
    );
  });

  it('applies with --allow-mass-grant, the operator’s explicit confirmation', async () => {
    const { code } = await captureOutput(() => reconcileCommand(['--allow-mass-grant'], everyone()));

    expect(code).toBe(0);
    expect(assigned().has(DEMO.adminId)).toBe(true);
  });
});

describe('Command: reconcile, the grant to the user running it', () => {
  it('stops a plan that would grant Frontline to the admin whose token runs it, even within the share', async () => {
    // The admin joins the Frontline group: one grant, well under the share, but it is the caller's own access.
    await adminCall(emu, 'PUT', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.adminId}`);
    const env = envFor(emu, join(tmp.dir, 'self.json'));

    const { code, doc } = await jsonOf<ReconcileDocument>(() => reconcileCommand(['--json'], env));

    expect(code).toBe(1);
    expect(doc.plan.grantGuard).toMatchObject({ tripped: true, toSelf: true });
    expect(assigned().has(DEMO.adminId)).toBe(false);
  });
});

describe('Function: runScheduled, with a group that would grant in bulk', () => {
  it('never grants in bulk on its own: nothing enqueued, the trip published as a metric', async () => {
    const values = new Map<string, number>();
    const items: unknown[] = [];

    const summary = await runScheduled(
      {
        okta: createGuardDirectory(clientFor(emu)),
        queue: { enqueue: async (batch) => void items.push(...batch) },
        metrics: { addMetric: (name, _unit, value) => void values.set(name, value) },
      },
      { appId: DEMO.appId, policy: resolvePolicy({ groupIds: [DEMO.everyoneGroupId] }) },
    );

    expect(summary.plan.grantGuard.tripped).toBe(true);
    expect(summary.enqueued).toBe(0);
    expect(items).toEqual([]);
    expect(values.get(RECONCILE_METRICS.grantGuardTrips)).toBe(1);
  });
});
