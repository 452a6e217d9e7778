import { startOktaEmulator, type RunningEmulator, type SeedData } from '../../emulator/okta';
import { resolvePolicy, type PolicyInput } from '../../src/domain/policy';
import type { ReconcilePlan } from '../../src/domain/reconcile-plan';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { createOktaDirectory } from '../../src/okta/directory';
import { applyPlan } from '../../src/reconcile/plan';
import { runReconcile } from '../../src/reconcile/run';
import {
  APP_ID,
  GROUP_ID,
  adminCall,
  clientFor,
  reconcileSeed,
  userId,
  type OrgUser,
} from '../app-guard/helpers';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

/*
 * The reconcile over several Frontline groups (FRONTLINE_GROUP_IDS): a member of any group should have Frontline,
 * leaving the last one takes it away; the mass-removal guard, group mode and the scope guard all see the union.
 */

const GROUP_B = '00gfrontlinesecond00';
/** Not a Frontline group: a group an admin assigned to the app. */
const PILOT = '00gfrontlinepilot000';

type GroupUser = Omit<OrgUser, 'inGroup'> & { groups: readonly string[] };

/** The reconcile seed's org with the second Frontline group (and the pilot group), members as each user says. */
function twoGroupSeed(users: readonly GroupUser[], extra: Pick<SeedData, 'appGroups'> = {}): SeedData {
  const base = reconcileSeed(users.map((u) => ({ ...u, inGroup: false })));
  const membersOf = (groupId: string) =>
    users.flatMap((u, i) => (u.groups.includes(groupId) ? [userId(i)] : []));
  return {
    ...base,
    groups: [
      { id: GROUP_ID, name: 'Frontline agents' },
      { id: GROUP_B, name: 'Frontline supervisors' },
      { id: PILOT, name: 'Frontline pilot' },
    ],
    memberships: {
      [GROUP_ID]: membersOf(GROUP_ID),
      [GROUP_B]: membersOf(GROUP_B),
      [PILOT]: membersOf(PILOT),
    },
    ...extra,
  };
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'empty', rateLimits: false });
});
afterAll(() => emu.stop());

async function seed(users: readonly GroupUser[], extra: Pick<SeedData, 'appGroups'> = {}) {
  await emu.control.reset(twoGroupSeed(users, extra));
  emu.control.clearRequestLog();
}

const policyOf = (groupIds: readonly string[], fields: Omit<PolicyInput, 'groupIds'> = {}) =>
  resolvePolicy({ groupIds, ...fields });
const bothGroups = (fields: Omit<PolicyInput, 'groupIds'> = {}) => policyOf([GROUP_ID, GROUP_B], fields);

/** One reconcile run whose sink applies the plan (as the CLI does). */
function reconcile(policy: ReturnType<typeof resolvePolicy>, options: { dryRun?: boolean } = {}) {
  const sunk: ReconcilePlan[] = [];
  const run = runReconcile(
    {
      okta: createGuardDirectory(clientFor(emu)),
      sink: async (plan) => {
        sunk.push(plan);
        return applyPlan(createOktaDirectory(clientFor(emu)), plan, {
          userTypes: new InMemoryUserTypeMemory(),
          appId: APP_ID,
        });
      },
    },
    { appId: APP_ID, policy, ...(options.dryRun ? { dryRun: true } : {}) },
  );
  return { run, sunk };
}

const holders = () =>
  emu.state
    .listAppUsers(APP_ID)
    .map((u) => u.id)
    .sort();
const writes = () => emu.control.requestLog().filter((r) => r.method !== 'GET');
const appGroups = () => [...(emu.state.raw.appGroups.get(APP_ID)?.keys() ?? [])].sort();

describe('Function: runReconcile, with two Frontline groups', () => {
  it('plans every member of either group, a member of both once, and unassigns only a user in neither', async () => {
    // Prepare
    await seed([
      { groups: [GROUP_ID], assigned: true, userType: 'agent' },
      { groups: [GROUP_ID, GROUP_B] },
      { groups: [GROUP_B] },
      { groups: [GROUP_ID, GROUP_B], assigned: true, userType: 'agent' },
      { groups: [], assigned: true, userType: 'agent' },
    ]);
    // user 3 leaves the first group and stays in the second.
    await adminCall(emu, 'DELETE', `/api/v1/groups/${GROUP_ID}/users/${userId(3)}`);
    emu.control.clearRequestLog();

    // Act
    const { run } = reconcile(bothGroups());
    const { plan, listing, sunk } = await run;

    // Assess
    expect(listing.members.map((m) => m.id).sort()).toEqual([userId(0), userId(1), userId(2), userId(3)]);
    expect(plan.counts).toEqual({ members: 4, appUsers: 3 });
    expect(plan.setUserType).toEqual([userId(1), userId(2)]);
    expect(plan.assign.map((a) => a.userId)).toEqual([userId(1), userId(2)]);
    expect(plan.unassign).toEqual([expect.objectContaining({ userId: userId(4), reason: 'left-group' })]);
    expect(sunk?.failed).toEqual([]);
    const assigns = writes().filter((r) => r.method === 'POST' && r.path === `/api/v1/apps/${APP_ID}/users`);
    expect(assigns).toHaveLength(2);
    expect(holders()).toEqual([userId(0), userId(1), userId(2), userId(3)]);
  });

  it('takes access away once the user has left the last group', async () => {
    // Prepare
    await seed([{ groups: [GROUP_ID, GROUP_B], assigned: true, userType: 'agent' }]);
    await adminCall(emu, 'DELETE', `/api/v1/groups/${GROUP_ID}/users/${userId(0)}`);
    const kept = await reconcile(bothGroups()).run;
    await adminCall(emu, 'DELETE', `/api/v1/groups/${GROUP_B}/users/${userId(0)}`);

    // Act
    const { plan } = await reconcile(bothGroups()).run;

    // Assess
    expect(kept.plan.unassign).toEqual([]);
    expect(plan.unassign).toEqual([expect.objectContaining({ userId: userId(0), reason: 'left-group' })]);
    expect(holders()).toEqual([]);
  });
});

describe('Function: runReconcile, the mass-removal guard over two groups', () => {
  /** 10 assigned members in each group and `leavers` assigned agents in neither. */
  const org = (leavers: number): GroupUser[] => [
    ...Array.from({ length: 10 }, () => ({ groups: [GROUP_ID], assigned: true, userType: 'agent' })),
    ...Array.from({ length: 10 }, () => ({ groups: [GROUP_B], assigned: true, userType: 'agent' })),
    ...Array.from({ length: leavers }, () => ({ groups: [], assigned: true, userType: 'agent' })),
  ];

  it('counts the second group’s members as members: one leaver is within the allowance', async () => {
    // Prepare
    await seed(org(1));

    // Act
    const both = await reconcile(bothGroups(), { dryRun: true }).run;
    const first = await reconcile(policyOf([GROUP_ID]), { dryRun: true }).run;

    // Assess
    expect(both.plan.guard).toMatchObject({
      tripped: false,
      removals: 1,
      currentAssignments: 21,
      allowed: 5,
    });
    expect(both.plan.unassign.map((u) => u.userId)).toEqual([userId(20)]);
    // The first group alone would take the second group's members for leavers.
    expect(first.plan.guard).toMatchObject({ tripped: true, removals: 11 });
  });

  it('adds up the leavers of both groups, trips when together they exceed the allowance, and writes nothing', async () => {
    // Prepare: three members leave each group (each group alone would stay within the allowance of 5).
    await seed(org(0).map((u, i) => (i < 3 ? { ...u, groups: [] } : u)));
    for (const i of [10, 11, 12]) {
      await adminCall(emu, 'DELETE', `/api/v1/groups/${GROUP_B}/users/${userId(i)}`);
    }
    emu.control.clearRequestLog();

    // Act
    const { run, sunk } = reconcile(bothGroups());
    const result = await run;

    // Assess
    expect(result.plan.guard).toMatchObject({
      tripped: true,
      removals: 6,
      currentAssignments: 20,
      allowed: 5,
    });
    expect(result.sunk).toBeUndefined();
    expect(sunk).toEqual([]);
    expect(writes()).toEqual([]);
    expect(holders()).toHaveLength(20);
  });
});

describe('Function: runReconcile, group mode with two groups', () => {
  const members: GroupUser[] = [
    { groups: [GROUP_ID], userType: 'agent' },
    { groups: [GROUP_B], userType: 'agent' },
    { groups: [GROUP_ID, GROUP_B], userType: 'agent' },
  ];

  it('on a dry run only reads: both groups would be assigned, and nothing is written', async () => {
    // Prepare
    await seed(members);

    // Act
    const { run, sunk } = reconcile(bothGroups({ assignmentMode: 'group' }), { dryRun: true });
    const result = await run;

    // Assess
    expect(result.groupAssignments).toEqual([
      { groupId: GROUP_ID, action: 'would-assign' },
      { groupId: GROUP_B, action: 'would-assign' },
    ]);
    expect(result.sunk).toBeUndefined();
    expect(sunk).toEqual([]);
    expect(writes()).toEqual([]);
    expect(appGroups()).toEqual([]);
  });

  it('assigns both groups to the app, so every member of either holds it, and finds them assigned the next time', async () => {
    // Prepare
    await seed(members);

    // Act
    const first = await reconcile(bothGroups({ assignmentMode: 'group' })).run;
    const second = await reconcile(bothGroups({ assignmentMode: 'group' })).run;

    // Assess
    expect(first.groupAssignments).toEqual([
      { groupId: GROUP_ID, action: 'assigned' },
      { groupId: GROUP_B, action: 'assigned' },
    ]);
    expect(appGroups()).toEqual([GROUP_ID, GROUP_B].sort());
    expect(holders()).toEqual([userId(0), userId(1), userId(2)]);
    // No individual assignment is made in group mode.
    expect(first.plan.assign).toEqual([]);
    expect(second.groupAssignments).toEqual([
      { groupId: GROUP_ID, action: 'already-assigned' },
      { groupId: GROUP_B, action: 'already-assigned' },
    ]);
  });
});

describe('Function: runReconcile, the scope guard over two groups', () => {
  it('in user mode takes group-held access of a member of either group for entitled, of anyone else for a finding', async () => {
    // Prepare: the pilot group, assigned to the app, holds a member of the second group and a non-member.
    await seed(
      [
        { groups: [GROUP_ID], assigned: true, userType: 'agent' },
        { groups: [GROUP_B, PILOT], userType: 'agent' },
        { groups: [PILOT] },
      ],
      { appGroups: [{ appId: APP_ID, groupId: PILOT }] },
    );

    // Act
    const both = await reconcile(bothGroups(), { dryRun: true }).run;
    const first = await reconcile(policyOf([GROUP_ID]), { dryRun: true }).run;

    // Assess
    expect(both.scope).toEqual({
      mode: 'user',
      findings: [
        expect.objectContaining({ userId: userId(2), scope: 'GROUP', kind: 'group-held-not-entitled' }),
      ],
    });
    expect(first.scope.findings.map((f) => f.userId).sort()).toEqual([userId(1), userId(2)]);
  });

  it('in group mode lists the individual assignment of a member of either group', async () => {
    // Prepare
    await seed(
      [
        { groups: [GROUP_ID], assigned: true, userType: 'agent' },
        { groups: [GROUP_B], assigned: true, userType: 'agent' },
        { groups: [], assigned: true, userType: 'agent' },
      ],
      {
        appGroups: [
          { appId: APP_ID, groupId: GROUP_ID },
          { appId: APP_ID, groupId: GROUP_B },
        ],
      },
    );

    // Act
    const { scope, plan } = await reconcile(bothGroups({ assignmentMode: 'group' }), { dryRun: true }).run;

    // Assess
    expect(scope.mode).toBe('group');
    expect(scope.findings.map((f) => [f.userId, f.scope, f.kind])).toEqual([
      [userId(0), 'USER', 'individual-outlives-membership'],
      [userId(1), 'USER', 'individual-outlives-membership'],
    ]);
    // The user in neither group is a leaver, not a scope finding.
    expect(plan.unassign).toEqual([expect.objectContaining({ userId: userId(2), reason: 'left-group' })]);
  });
});
