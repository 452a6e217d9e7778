import { join } from 'node:path';
import type { RunningEmulator } from '../../emulator/okta';
import { resolvePolicy, type AssignmentMode } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { staticDirectoryProvider } from '../../src/okta/credentials';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { createOktaDirectory } from '../../src/okta/directory';
import { applyPlan } from '../../src/reconcile/plan';
import { runReconcile } from '../../src/reconcile/run';
import { openLocalDatabase } from '../../src/sqlite/database';
import { sqliteUserTypeMemory } from '../../src/sqlite/user-type-memory';
import { createWorker } from '../../src/worker/worker';
import {
  APP_ID,
  GROUP_ID,
  clientFor,
  reconcileSeed,
  tempDir,
  userId,
  useEmulatorOrg,
} from '../app-guard/helpers';

/*
 * Issue 20: "Overwriting a `userType` that held another value is reported in the plan and recorded, and clearing on
 * removal puts the old value back." The role is recorded in serve's database (a new process reads it: each step
 * below opens the database again), by the worker's onboarding or by the CLI reconcile's backfill, and the worker's
 * removal puts it back.
 */

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
useEmulatorOrg({ seed: 'empty', resetEachTest: false }, (started, dir) => {
  emu = started;
  tmp = dir;
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const policyFor = (mode: AssignmentMode, clearUserTypeOnRemoval = true) =>
  resolvePolicy({ groupIds: [GROUP_ID], assignmentMode: mode, clearUserTypeOnRemoval });

let seq = 0;
function item(userIdOf: string, eventType: string): WorkItem {
  seq += 1;
  return {
    kind: 'converge-user',
    userId: userIdOf,
    triggers: [{ eventUuid: `evt-${seq}`, eventType }],
    source: 'event-hook',
  };
}

/** A worker as serve builds it after a (re)start: the memory read from the data directory's database. */
function freshWorker(dataDir: string, mode: AssignmentMode, clearUserTypeOnRemoval = true) {
  return createWorker({
    directory: staticDirectoryProvider(createOktaDirectory(clientFor(emu))),
    settings: { appId: APP_ID, policy: policyFor(mode, clearUserTypeOnRemoval) },
    logger: silent,
    userTypes: sqliteUserTypeMemory(openLocalDatabase(dataDir)),
  });
}

const userTypeOf = (id: string) =>
  (emu.state.getUser(id)?.profile as { userType?: unknown } | undefined)?.userType;
const assigned = (id: string) => emu.state.listAppUsers(APP_ID).some((u) => u.id === id);

async function joinGroup(id: string) {
  await clientFor(emu).groupApi.assignUserToGroup({ groupId: GROUP_ID, userId: id });
}
async function leaveGroup(id: string) {
  await clientFor(emu).groupApi.unassignUserFromGroup({ groupId: GROUP_ID, userId: id });
}

describe.each<AssignmentMode>(['user', 'group'])(
  'Feature: an overwritten userType comes back (%s mode)',
  (mode) => {
    const seedOrg = async () => {
      await emu.control.reset(reconcileSeed([{ userType: 'manager', inGroup: false }]));
      if (mode === 'group') {
        await clientFor(emu).applicationApi.assignGroupToApplication({
          appId: APP_ID,
          groupId: GROUP_ID,
          applicationGroupAssignment: {},
        });
      }
    };

    it('onboarding records "manager" before writing "agent", and the removal puts "manager" back', async () => {
      await seedOrg();
      const dataDir = join(tmp.dir, `restore-${mode}`);
      const joiner = userId(0);

      await joinGroup(joiner);
      const joined = await freshWorker(dataDir, mode).processWorkItem(
        item(joiner, 'group.user_membership.add'),
      );
      expect(joined.outcome).toBe('converged');
      expect([userTypeOf(joiner), assigned(joiner)]).toEqual(['agent', true]);

      await leaveGroup(joiner);
      const left = await freshWorker(dataDir, mode).processWorkItem(
        item(joiner, 'group.user_membership.remove'),
      );
      expect(left.actions).toContainEqual({
        type: 'clear-user-type',
        result: 'applied',
        restored: 'manager',
      });
      expect([userTypeOf(joiner), assigned(joiner)]).toEqual(['manager', false]);
      // Put back once: a second removal has nothing recorded and leaves the role alone (it is not "agent").
      await expect(sqliteUserTypeMemory(openLocalDatabase(dataDir)).recall(joiner)).resolves.toBeUndefined();
    });

    it('keeps the record while removal keeps the role, for a later run that clears it', async () => {
      await seedOrg();
      const dataDir = join(tmp.dir, `keep-${mode}`);
      const joiner = userId(0);

      await joinGroup(joiner);
      await freshWorker(dataDir, mode, false).processWorkItem(item(joiner, 'group.user_membership.add'));
      await leaveGroup(joiner);
      await freshWorker(dataDir, mode, false).processWorkItem(item(joiner, 'group.user_membership.remove'));
      expect(userTypeOf(joiner)).toBe('agent');
      await expect(sqliteUserTypeMemory(openLocalDatabase(dataDir)).recall(joiner)).resolves.toBe('manager');
    });
  },
);

describe('Feature: the CLI reconcile’s backfill records what it overwrites', () => {
  it('records the plan’s overwrites before applying them, and the worker’s removal puts them back', async () => {
    await emu.control.reset(reconcileSeed([{ userType: 'manager' }, {}]));
    const dataDir = join(tmp.dir, 'backfill');
    const policy = policyFor('user');
    const directory = createOktaDirectory(clientFor(emu));
    const run = await runReconcile(
      {
        okta: createGuardDirectory(clientFor(emu)),
        sink: (plan) =>
          applyPlan(directory, plan, {
            appId: APP_ID,
            userTypes: sqliteUserTypeMemory(openLocalDatabase(dataDir)),
          }),
      },
      { appId: APP_ID, policy, allowMassGrant: true },
    );
    expect(run.plan.overwrites).toEqual([{ userId: userId(0), previous: 'manager' }]);
    expect([0, 1].map((i) => userTypeOf(userId(i)))).toEqual(['agent', 'agent']);

    for (const i of [0, 1]) {
      await leaveGroup(userId(i));
      await freshWorker(dataDir, 'user').processWorkItem(item(userId(i), 'group.user_membership.remove'));
    }
    // An unset role was nothing to keep: cleared, as before.
    expect([userTypeOf(userId(0)), userTypeOf(userId(1))]).toEqual(['manager', null]);
  });
});
