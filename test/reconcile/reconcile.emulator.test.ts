import { join } from 'node:path';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import { resolvePolicy, type PolicyInput } from '../../src/domain/policy';
import { planChangeCount } from '../../src/domain/reconcile-plan';
import { applyPlan, planToWorkItems } from '../../src/reconcile/plan';
import { runReconcile } from '../../src/reconcile/run';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { createOktaDirectory } from '../../src/okta/directory';
import { WorkItemSchema } from '../../src/domain/work-item';
import {
  APP_ID,
  GROUP_ID,
  captureOutput,
  clientFor,
  envFor,
  reconcileSeed,
  tempDir,
  userId,
  type OrgUser,
  useEmulatorOrg,
} from '../app-guard/helpers';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';
import { openLocalDatabase } from '../../src/sqlite/database';
import { sqliteUserTypeMemory } from '../../src/sqlite/user-type-memory';

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;

useEmulatorOrg({ seed: 'empty', resetEachTest: false }, (started, dir) => {
  emu = started;
  tmp = dir;
});

async function seed(users: OrgUser[]) {
  await emu.control.reset(reconcileSeed(users));
  emu.control.clearRequestLog();
}

/** The plan a dry run of the reconcile makes (nothing written), assignments named by the pinned `${source.email}`. */
async function plan(policy: Omit<PolicyInput, 'groupIds'> = {}) {
  const run = await runReconcile(
    { okta: createGuardDirectory(clientFor(emu)), sink: async () => undefined },
    {
      appId: APP_ID,
      policy: resolvePolicy({ groupIds: [GROUP_ID], pinnedUserNameTemplate: '${source.email}', ...policy }),
      dryRun: true,
    },
  );
  return run.plan;
}

describe('Function: runReconcile (dry run) and applyPlan against the emulator', () => {
  it('backfills members that no event onboarded and applies it: userType agent and a USER assignment', async () => {
    await seed([{ assigned: true, userType: 'agent' }, {}, { userType: 'manager' }, { status: 'STAGED' }]);
    const p = await plan();
    expect(p.setUserType).toEqual([userId(1), userId(2)]);
    expect(p.assign).toEqual([
      { userId: userId(1), userName: 'user1@example.com' },
      { userId: userId(2), userName: 'user2@example.com' },
    ]);
    expect(p.skipped).toEqual([{ userId: userId(3), reason: expect.stringContaining('STAGED') }]);

    const result = await applyPlan(createOktaDirectory(clientFor(emu)), p, {
      userTypes: new InMemoryUserTypeMemory(),
      appId: APP_ID,
    });
    expect(result.failed).toEqual([]);
    expect(emu.state.listAppUsers(APP_ID).map((u) => [u.id, u.scope, u.userName])).toEqual(
      expect.arrayContaining([
        [userId(1), 'USER', 'user1@example.com'],
        [userId(2), 'USER', 'user2@example.com'],
      ]),
    );
    expect((emu.state.getUser(userId(2))?.profile as Record<string, unknown>).userType).toBe('agent');
    expect(planChangeCount(await plan())).toBe(0);
  });

  it('keeps a suspended member assigned under the keep policy: Okta retains it and blocks sign-in', async () => {
    await seed([
      { assigned: true, userType: 'agent' },
      { assigned: true, userType: 'agent', status: 'SUSPENDED' as const },
    ]);
    const p = await plan({ suspendedPolicy: 'keep' });
    expect(planChangeCount(p)).toBe(0);
    expect(p.skipped).toEqual([]);
  });

  it('unassigns agents who left the group, and suspended (default policy) or deactivated members', async () => {
    await seed([
      ...Array.from({ length: 10 }, () => ({ assigned: true, userType: 'agent' })),
      { assigned: true, userType: 'agent', inGroup: false },
      { assigned: true, userType: 'agent', status: 'SUSPENDED' as const },
      { assigned: true, userType: 'agent', status: 'DEPROVISIONED' as const },
    ]);
    const p = await plan();
    expect(p.unassign).toEqual([
      { userId: userId(11), userName: 'user11@example.com', reason: 'suspended' },
      { userId: userId(12), userName: 'user12@example.com', reason: 'deactivated' },
      { userId: userId(10), userName: 'user10@example.com', reason: 'left-group' },
    ]);
    await applyPlan(createOktaDirectory(clientFor(emu)), p, {
      userTypes: new InMemoryUserTypeMemory(),
      appId: APP_ID,
    });
    expect(emu.state.listAppUsers(APP_ID)).toHaveLength(10);
  });

  it('reports an unassign Okta refuses because a group now holds the assignment as skipped, not applied', async () => {
    const sales = '00gsalesguard0000000';
    const seeded = reconcileSeed([
      { assigned: true, userType: 'agent' },
      { assigned: true, userType: 'agent', inGroup: false },
    ]);
    await emu.control.reset({
      ...seeded,
      groups: [...(seeded.groups ?? []), { id: sales, name: 'Sales' }],
      memberships: { ...seeded.memberships, [sales]: [userId(1)] },
    });
    const p = await plan();
    expect(p.unassign).toEqual([{ userId: userId(1), userName: 'user1@example.com', reason: 'left-group' }]);
    // Between the plan and the write an admin assigns the user's other group to the app (scope GROUP).
    const put = await fetch(`${emu.url}/api/v1/apps/${APP_ID}/groups/${sales}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emu.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(put.status).toBe(200);

    const result = await applyPlan(createOktaDirectory(clientFor(emu)), p, {
      userTypes: new InMemoryUserTypeMemory(),
      appId: APP_ID,
    });

    expect(result.applied).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(result.skipped).toEqual([
      { userId: userId(1), action: 'unassign', reason: expect.stringContaining('E0000046') },
    ]);
    expect(emu.state.listAppUsers(APP_ID).map((u) => u.id)).toContain(userId(1));
  });

  it('reports a hand-assigned non-member as unmanaged and removes it only when pruning', async () => {
    await seed([
      { assigned: true, userType: 'agent' },
      { assigned: true, inGroup: false },
    ]);
    const p = await plan();
    expect(p.unmanaged).toEqual([{ userId: userId(1), userName: 'user1@example.com' }]);
    expect(p.unassign).toEqual([]);
    const pruned = await plan({ pruneUnmanaged: true });
    expect(pruned.unassign).toEqual([
      { userId: userId(1), userName: 'user1@example.com', reason: 'unmanaged-pruned' },
    ]);
  });

  it('accounts for every planned change: applied, skipped (not attempted after a failure) and failed', async () => {
    await seed([{ userType: null }, { userType: null }, { userType: 'agent' }]);
    const p = await plan();
    expect(planChangeCount(p)).toBe(5);
    emu.control.setFaults({ writeErrorRate: 1 });
    try {
      const result = await applyPlan(createOktaDirectory(clientFor(emu)), p, {
        userTypes: new InMemoryUserTypeMemory(),
        appId: APP_ID,
      });
      expect(result.applied).toEqual([]);
      expect(result.failed.map((f) => [f.userId, f.action]).sort()).toEqual([
        [userId(0), 'set-user-type'],
        [userId(1), 'set-user-type'],
        [userId(2), 'assign'],
      ]);
      expect([...result.skipped].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
        {
          userId: userId(0),
          action: 'assign',
          reason: 'not attempted: the set-user-type before it did not go through',
        },
        {
          userId: userId(1),
          action: 'assign',
          reason: 'not attempted: the set-user-type before it did not go through',
        },
      ]);
      expect(result.applied.length + result.skipped.length + result.failed.length).toBe(planChangeCount(p));
    } finally {
      emu.control.setFaults({ writeErrorRate: 0 });
    }
  });

  it('trips the mass-removal guard when a group was emptied and changes nothing', async () => {
    await seed(Array.from({ length: 20 }, () => ({ assigned: true, userType: 'agent', inGroup: false })));
    const env = envFor(emu, join(tmp.dir, 's.json'), {
      FRONTLINE_GROUP_ID: GROUP_ID,
      FRONTLINE_APP_ID: APP_ID,
    });
    const dry = await captureOutput(() => reconcileCommand(['--dry-run'], env));
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('mass-removal guard');
    // The plan stays readable: every removal the guard stopped is listed, username and reason whole.
    for (let i = 0; i < 20; i += 1) {
      expect(dry.stdout).toMatch(
        new RegExp(`${userId(i)}\\s+unassign\\s+left-group \\(user${i}@example\\.com\\)`),
      );
    }
    expect(dry.stdout).toContain(
      'Plan the guard stopped (nothing is applied): 0 set userType, 0 assign, 20 unassign.',
    );
    const { code, stderr } = await captureOutput(() => reconcileCommand([], env));
    expect(code).toBe(1);
    expect(stderr).toContain('mass-removal guard: this run would unassign 20 of 20 users');
    expect(emu.state.listAppUsers(APP_ID)).toHaveLength(20);
    expect(emu.control.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);

    const allowed = await captureOutput(() => reconcileCommand(['--allow-mass-removal'], env));
    expect(allowed.code).toBe(0);
    expect(emu.state.listAppUsers(APP_ID)).toHaveLength(0);
  });

  it('pages through 1,200 members and 1,200 app users within ⌈N/200⌉ + ⌈N/500⌉ calls and the app read that verifies it', async () => {
    const n = 1200;
    await seed(Array.from({ length: n }, () => ({ assigned: true, userType: 'agent' })));
    const p = await plan();
    expect(p.counts).toEqual({ members: n, appUsers: n });
    expect(planChangeCount(p)).toBe(0);
    const log = emu.control.requestLog();
    expect(log.filter((r) => r.path.startsWith(`/api/v1/groups/${GROUP_ID}/users`))).toHaveLength(6);
    expect(log.filter((r) => r.path.startsWith(`/api/v1/apps/${APP_ID}/users`))).toHaveLength(3);
    expect(log.filter((r) => r.path === `/api/v1/apps/${APP_ID}`)).toHaveLength(1);
    expect(log).toHaveLength(Math.ceil(n / 200) + Math.ceil(n / 500) + 1);
  });

  it('turns a plan into one reconcile work item per user for the worker queue', async () => {
    await seed([{}, { assigned: true, userType: 'agent', inGroup: false }]);
    const items = planToWorkItems(await plan(), 'run-1', new Date('2026-01-01T00:00:00Z'));
    expect(items.map((i) => WorkItemSchema.parse(i))).toEqual([
      expect.objectContaining({
        userId: userId(0),
        source: 'reconcile',
        triggers: [expect.objectContaining({ eventType: 'reconcile.assign' })],
      }),
      expect.objectContaining({
        userId: userId(1),
        source: 'reconcile',
        triggers: [expect.objectContaining({ eventType: 'reconcile.unassign' })],
      }),
    ]);
  });
});

describe('Command: reconcile', () => {
  it('shows the plan on --dry-run (exit 2), applies it, and reports a mastered profile once as its own kind (exit 0)', async () => {
    await emu.control.reset('demo');
    const env = envFor(emu, join(tmp.dir, 'r.json'));
    const dry = await captureOutput(() => reconcileCommand(['--dry-run'], env));
    expect(dry.code).toBe(2);
    // No username is pinned: the assignment carries none, and Okta derives it from the app's own template.
    expect(dry.stdout).toMatch(
      new RegExp(`${DEMO.users.provisioned}\\s+assign\\s+\\(the app's username template\\)`),
    );
    expect(emu.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.provisioned)).toBe(false);

    emu.control.clearRequestLog();
    const applied = await captureOutput(() => reconcileCommand([], env));
    // The demo's AD-mastered user can't get a userType (403 E0000023): reported once, never attempted, exit 0.
    expect(applied.code).toBe(0);
    // The app is read once: its username template and the is-it-Frontline's check share the read.
    expect(
      emu.control
        .requestLog()
        .filter((r) => r.method === 'GET' && r.path.split('?')[0] === `/api/v1/apps/${DEMO.appId}`),
    ).toHaveLength(1);
    // The role the backfill overwrote is recorded in serve's database, for the removal to put back.
    await expect(
      sqliteUserTypeMemory(openLocalDatabase(env.FRONTLINE_DATA_DIR!)).recall(DEMO.users.wrongType),
    ).resolves.toBe('manager');
    const masteredLines = applied.stdout.split('\n').filter((l) => l.includes(DEMO.users.mastered));
    expect(masteredLines).toEqual([
      `  ${DEMO.users.mastered} (ACTIVE_DIRECTORY): userType is mastered by the profile source; set it there`,
    ]);
    expect(applied.stdout).toMatch(/Planned (\d+) change\(s\): \1 applied, 0 skipped, 0 failed\./);
    expect(
      emu.control.requestLog().filter((r) => r.method === 'POST' && r.path.endsWith(DEMO.users.mastered)),
    ).toEqual([]);
    expect(emu.state.listAppUsers(DEMO.appId).find((u) => u.id === DEMO.users.provisioned)?.userName).toBe(
      'pat.provisioned@example.com',
    );
    // Suspended: the default policy takes access away, as for a leaver.
    expect(emu.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.suspended)).toBe(false);

    const json = await captureOutput(() => reconcileCommand(['--dry-run', '--json'], env));
    const doc = JSON.parse(json.stdout);
    expect(json.code).toBe(0);
    expect(doc.plan.setUserType).toEqual([]);
    expect(doc.plan.mastered).toEqual([
      expect.objectContaining({ userId: DEMO.users.mastered, source: 'ACTIVE_DIRECTORY' }),
    ]);
  });
});

describe('Command: reconcile under rate limits', () => {
  it('paces by the rate-limit headers and applies every change through a small apps bucket', async () => {
    const limited = await startOktaEmulator({
      seed: reconcileSeed(Array.from({ length: 30 }, () => ({ userType: null }))),
      rateLimits: { windowMs: 1000, limits: { apps: 10 } },
    });
    try {
      const env = envFor(limited, join(tmp.dir, 'limited.json'), {
        FRONTLINE_GROUP_ID: GROUP_ID,
        FRONTLINE_APP_ID: APP_ID,
      });
      // Thirty members, none holding the app: the first backfill, which the operator confirms once.
      const { code } = await captureOutput(() =>
        reconcileCommand(['--concurrency', '4', '--allow-mass-grant'], env),
      );
      expect(code).toBe(0);
      expect(limited.state.listAppUsers(APP_ID)).toHaveLength(30);
      const log = limited.control.requestLog();
      const assigns = log.filter((r) => r.method === 'POST' && r.path === `/api/v1/apps/${APP_ID}/users`);
      expect(assigns.filter((r) => r.status === 200)).toHaveLength(30);
      // The governor waits for the reset once a bucket is spent; at most the in-flight calls can still hit a 429.
      expect(log.filter((r) => r.status === 429).length).toBeLessThanOrEqual(4);
    } finally {
      await limited.stop();
    }
  });
});
