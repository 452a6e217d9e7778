import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import type { CheckDocument, ReconcileDocument } from '../../src/cli/documents';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import { adminCall, envFor, tempDir, useEmulatorOrg } from '../app-guard/helpers';
import { jsonOf } from './helpers';

/*
 * The CLI over several Frontline groups: FRONTLINE_GROUP_IDS (here without FRONTLINE_GROUP_ID) names the demo's
 * Frontline group and a second one; `check` and `reconcile` then see the members of both.
 */

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
let runs = 0;
useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

const okta = (method: string, path: string, body?: unknown) => adminCall(emu, method, path, body);

/** A new group holding `userIds`. */
async function groupOf(name: string, ...userIds: string[]): Promise<string> {
  const group = await okta('POST', '/api/v1/groups', { profile: { name } });
  const groupId = group?.id ?? '';
  for (const id of userIds) await okta('PUT', `/api/v1/groups/${groupId}/users/${id}`);
  return groupId;
}

/** The CLI's environment with FRONTLINE_GROUP_IDS naming `groupIds` (and no FRONTLINE_GROUP_ID). */
function groupsEnv(groupIds: readonly string[], extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  runs += 1;
  const env = envFor(emu, join(tmp.dir, `groups-${runs}.json`), extra);
  delete env.FRONTLINE_GROUP_ID;
  return { ...env, FRONTLINE_GROUP_IDS: groupIds.join(',') };
}

/** The CLI's environment with the demo's one Frontline group. */
function oneGroupEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  runs += 1;
  return envFor(emu, join(tmp.dir, `one-group-${runs}.json`), extra);
}

const writes = () => emu.control.requestLog().filter((e) => e.method !== 'GET');
const appGroups = () => [...(emu.state.raw.appGroups.get(DEMO.appId)?.keys() ?? [])];

describe('Command: reconcile --dry-run --json, with FRONTLINE_GROUP_IDS', () => {
  it('plans over both groups: a member of either is planned, a member of both once, and nothing is written', async () => {
    // Prepare: newHire (no role, not assigned) joins the second group only; strayAssignee (assigned, agent, in no
    // Frontline group so far) too; provisioned (a demo member, not assigned) is in both.
    const second = await groupOf(
      'Frontline supervisors',
      DEMO.users.newHire,
      DEMO.users.strayAssignee,
      DEMO.users.provisioned,
    );
    const one = await jsonOf<ReconcileDocument>(() =>
      reconcileCommand(['--dry-run', '--json'], oneGroupEnv()),
    );
    emu.control.clearRequestLog();

    // Act
    const both = await jsonOf<ReconcileDocument>(() =>
      reconcileCommand(['--dry-run', '--json'], groupsEnv([DEMO.groupId, second])),
    );

    // Assess
    expect(both.code).toBe(2);
    expect(both.doc.plan.counts.members).toBe(one.doc.plan.counts.members + 2);
    const assigned = both.doc.plan.assign.map((a) => a.userId);
    expect(assigned).toContain(DEMO.users.newHire);
    expect(assigned.filter((id) => id === DEMO.users.provisioned)).toHaveLength(1);
    expect(both.doc.plan.setUserType).toContain(DEMO.users.newHire);
    // A leaver of the one group who is a member of the other keeps the app.
    expect(one.doc.plan.unassign).toContainEqual(
      expect.objectContaining({ userId: DEMO.users.strayAssignee, reason: 'left-group' }),
    );
    expect(both.doc.plan.unassign.map((u) => u.userId)).not.toContain(DEMO.users.strayAssignee);
    expect(one.doc.plan.assign.map((a) => a.userId)).not.toContain(DEMO.users.newHire);
    expect(writes()).toEqual([]);
  });

  it('in group mode says it would assign each group to the app, writing nothing', async () => {
    // Prepare
    const second = await groupOf('Frontline supervisors', DEMO.users.newHire);
    emu.control.clearRequestLog();

    // Act
    const dry = await jsonOf<ReconcileDocument>(() =>
      reconcileCommand(
        ['--dry-run', '--json'],
        groupsEnv([DEMO.groupId, second], { FRONTLINE_ASSIGNMENT_MODE: 'group' }),
      ),
    );

    // Assess
    expect(dry.code).toBe(2);
    expect(dry.doc.groupAssignments).toEqual([
      { groupId: DEMO.groupId, action: 'would-assign' },
      { groupId: second, action: 'would-assign' },
    ]);
    expect(dry.doc.scopeGuard.mode).toBe('group');
    expect(writes()).toEqual([]);
    expect(appGroups()).toEqual([]);
  });
});

describe('Command: check --json, with FRONTLINE_GROUP_IDS', () => {
  it('takes group-held access of a member of either group for entitled, and of anyone else for a finding', async () => {
    // Prepare: a pilot group assigned to the app holds newHire (a member of the second group) and sasha (of none).
    const sasha = emu.state
      .listGroupMemberIds(DEMO.salesGroupId)
      .find((id) => id !== DEMO.users.strayAssignee);
    const second = await groupOf('Frontline supervisors', DEMO.users.newHire);
    const pilot = await groupOf('Frontline pilot', DEMO.users.newHire, sasha ?? '');
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${pilot}`, {});

    // Act
    const one = await jsonOf<CheckDocument>(() => checkCommand(['--json'], oneGroupEnv()));
    const both = await jsonOf<CheckDocument>(() =>
      checkCommand(['--json'], groupsEnv([DEMO.groupId, second])),
    );

    // Assess
    expect(one.doc.scopeGuard?.findings.map((f) => f.userId).sort()).toEqual(
      [DEMO.users.newHire, sasha].sort(),
    );
    expect(both.code).toBe(2);
    expect(both.doc.scopeGuard).toEqual({
      mode: 'user',
      findings: [expect.objectContaining({ userId: sasha, scope: 'GROUP', kind: 'group-held-not-entitled' })],
    });
    expect(both.doc.groupAssignments).toEqual([]);
  });

  it('in group mode reports each group not assigned to the app without assigning it', async () => {
    // Prepare
    const second = await groupOf('Frontline supervisors', DEMO.users.newHire);
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {});
    emu.control.clearRequestLog();

    // Act
    const { code, doc } = await jsonOf<CheckDocument>(() =>
      checkCommand(['--json'], groupsEnv([DEMO.groupId, second], { FRONTLINE_ASSIGNMENT_MODE: 'group' })),
    );

    // Assess
    expect(code).toBe(2);
    expect(doc.ok).toBe(false);
    expect(doc.groupAssignments).toEqual([
      { groupId: DEMO.groupId, action: 'already-assigned' },
      { groupId: second, action: 'would-assign' },
    ]);
    expect(writes()).toEqual([]);
    expect(appGroups()).toEqual([DEMO.groupId]);
  });
});
