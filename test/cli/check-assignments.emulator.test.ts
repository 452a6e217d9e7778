import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import type { CheckDocument } from '../../src/cli/documents';
import { captureOutput, envFor, tempDir, adminCall, useEmulatorOrg } from '../app-guard/helpers';

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

const okta = (method: string, path: string, body?: unknown) => adminCall(emu, method, path, body);

async function check(env: NodeJS.ProcessEnv, args: string[] = []) {
  const { code, stdout } = await captureOutput(() => checkCommand(args, env));
  return { code, stdout, doc: args.includes('--json') ? (JSON.parse(stdout) as CheckDocument) : undefined };
}

const appGroups = () => [...(emu.state.raw.appGroups.get(DEMO.appId)?.keys() ?? [])];

describe('Command: check, the assignments', () => {
  it('fails (exit 2) on group-held access of a user outside the group, naming the Admin Console remedy', async () => {
    const other = await okta('POST', '/api/v1/groups', { profile: { name: 'Frontline pilot' } });
    await okta('PUT', `/api/v1/groups/${other?.id}/users/${DEMO.users.newHire}`);
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${other?.id}`, {});
    const env = envFor(emu, join(tmp.dir, 'user-mode.json'));

    const { code, doc } = await check(env, ['--json']);

    expect(code).toBe(2);
    expect(doc?.ok).toBe(false);
    expect(doc?.findings).toEqual([]);
    expect(doc?.scopeGuard?.findings).toEqual([
      expect.objectContaining({
        userId: DEMO.users.newHire,
        scope: 'GROUP',
        kind: 'group-held-not-entitled',
      }),
    ]);
    const text = await check(env);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/Scope guard \(user mode\): 1 assignment/);
    expect(text.stdout).toMatch(/Administrator \(overrides group\)/);
  });

  it('in group mode reports the group not assigned to the app without assigning it, and passes once reconcile has', async () => {
    const env = envFor(emu, join(tmp.dir, 'group-mode.json'), { FRONTLINE_ASSIGNMENT_MODE: 'group' });

    const before = await check(env, ['--json']);
    expect(before.code).toBe(2);
    expect(before.doc?.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'would-assign' }]);
    expect(appGroups()).toEqual([]); // check only reads

    const reconciled = await captureOutput(() => reconcileCommand(['--json'], env));
    expect(reconciled.code).toBe(0);
    expect(appGroups()).toEqual([DEMO.groupId]);

    const after = await check(env, ['--json']);
    expect(after.doc?.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'already-assigned' }]);
    // Members the user-mode seed assigned one by one keep individual assignments: the scope guard lists them
    // and nothing else fails.
    const members = new Set(emu.state.listGroupMemberIds(DEMO.groupId));
    const individual = emu.state
      .listAppUsers(DEMO.appId)
      .filter((u) => u.scope === 'USER' && members.has(u.id))
      .map((u) => u.id);
    expect(after.doc?.scopeGuard?.findings.map((f) => f.userId).sort()).toEqual(individual.sort());
    expect(individual.length).toBeGreaterThan(0);
    expect(after.code).toBe(2);
    expect(after.doc?.findings).toEqual([]);
  });

  it('lists, in group mode, a member whose individual assignment would outlive the membership', async () => {
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {});
    await okta('PUT', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`);
    await okta('POST', `/api/v1/apps/${DEMO.appId}/users`, { id: DEMO.users.newHire, scope: 'USER' });
    const env = envFor(emu, join(tmp.dir, 'group-individual.json'), { FRONTLINE_ASSIGNMENT_MODE: 'group' });

    const { code, doc } = await check(env, ['--json']);

    expect(code).toBe(2);
    expect(doc?.scopeGuard?.findings).toContainEqual(
      expect.objectContaining({
        userId: DEMO.users.newHire,
        scope: 'USER',
        kind: 'individual-outlives-membership',
      }),
    );
    expect(doc?.scopeGuard?.findings.find((f) => f.userId === DEMO.users.newHire)?.remedy).toMatch(
      /Convert Assignments/,
    );
  });
});
