import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import type { ReconcileDocument } from '../../src/cli/documents';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import { planChangeCount } from '../../src/domain/reconcile-plan';
import { createOktaDirectory } from '../../src/okta/directory';
import { jsonOf } from '../cli/helpers';
import { clientFor, envFor, tempDir, adminCall, useEmulatorOrg } from '../app-guard/helpers';

/*
 * The scope guard through the real CLI reconcile, both trap directions (issue 14): in user mode group-held access
 * that no per-user call can end, in group mode individual assignments that outlive the membership; and switching
 * modes as a plan first. Assertions are on userId/scope/mode, not on the remedy's wording.
 */

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
let runs = 0;

useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

function env(mode: 'user' | 'group'): NodeJS.ProcessEnv {
  runs += 1;
  return envFor(emu, join(tmp.dir, `scope-${runs}.json`), { FRONTLINE_ASSIGNMENT_MODE: mode });
}

const reconcile = (mode: 'user' | 'group', ...args: string[]) =>
  jsonOf<ReconcileDocument>(() => reconcileCommand(['--json', ...args], env(mode)));

const okta = (method: string, path: string, body?: unknown) => adminCall(emu, method, path, body);

const scopeOf = (userId: string) => emu.state.listAppUsers(DEMO.appId).find((u) => u.id === userId)?.scope;
const linked = async (userId: string) =>
  (await createOktaDirectory(clientFor(emu)).listAppLinks(userId)).some(
    (l) => l.appInstanceId === DEMO.appId,
  );
const findingsOf = (doc: ReconcileDocument) =>
  doc.scopeGuard.findings.map((f) => ({ userId: f.userId, scope: f.scope }));
const writesSince = () => emu.control.requestLog().filter((e) => e.method !== 'GET');
/** The org as the emulator holds it, without the request log. */
const orgState = () => JSON.stringify(emu.control.snapshot());

describe('Scope guard, user mode (reconcile --dry-run --json)', () => {
  it('keeps listing group-held access of a non-member the real run cannot remove, until the admin removes the group from the app', async () => {
    const pilot = await okta('POST', '/api/v1/groups', { profile: { name: 'Frontline pilot' } });
    await okta('PUT', `/api/v1/groups/${pilot?.id}/users/${DEMO.users.newHire}`);
    // A Frontline member in the pilot group too: entitled, so their group-held access is no finding.
    await okta('PUT', `/api/v1/groups/${pilot?.id}/users/${DEMO.users.wrongType}`);
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${pilot?.id}`, {});
    expect(scopeOf(DEMO.users.newHire)).toBe('GROUP');
    expect(scopeOf(DEMO.users.wrongType)).toBe('GROUP');

    const dry = await reconcile('user', '--dry-run');
    const applied = await reconcile('user');

    expect(dry.doc.scopeGuard.mode).toBe('user');
    expect(findingsOf(dry.doc)).toEqual([{ userId: DEMO.users.newHire, scope: 'GROUP' }]);
    expect(dry.doc.plan.unassign.map((u) => u.userId)).not.toContain(DEMO.users.newHire);
    // Okta refuses a per-user removal of a group-held assignment (E0000046): the run leaves it and says so again.
    expect(applied.doc.result?.failed).toEqual([]);
    expect(await linked(DEMO.users.newHire)).toBe(true);
    expect(findingsOf((await reconcile('user', '--dry-run')).doc)).toEqual([
      { userId: DEMO.users.newHire, scope: 'GROUP' },
    ]);

    // The remedy the finding names: the admin removes that group's assignment to the app.
    await okta('DELETE', `/api/v1/apps/${DEMO.appId}/groups/${pilot?.id}`);
    const after = await reconcile('user', '--dry-run');

    expect(await linked(DEMO.users.newHire)).toBe(false);
    expect(findingsOf(after.doc)).toEqual([]);
  });
});

describe('Scope guard, group mode (reconcile --dry-run --json)', () => {
  it('lists a member’s individual assignment, not a plain group-held one, and the listed member keeps the app after leaving', async () => {
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {});
    // A joiner after the group holds the app: Okta gives them a GROUP-scope assignment only.
    await okta('PUT', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`);
    expect(scopeOf(DEMO.users.newHire)).toBe('GROUP');
    // The seeded agent was assigned individually before the group was: the assignment stays USER scope.
    expect(scopeOf(DEMO.users.agent)).toBe('USER');

    const dry = await reconcile('group', '--dry-run');

    expect(dry.doc.scopeGuard.mode).toBe('group');
    expect(dry.doc.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'already-assigned' }]);
    expect(findingsOf(dry.doc)).toContainEqual({ userId: DEMO.users.agent, scope: 'USER' });
    expect(dry.doc.scopeGuard.findings.map((f) => f.userId)).not.toContain(DEMO.users.newHire);

    // The trap the finding warns of: leaving the group ends the GROUP-scope member's access, not the listed one's.
    await okta('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.agent}`);
    await okta('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`);

    expect(await linked(DEMO.users.newHire)).toBe(false);
    expect(await linked(DEMO.users.agent)).toBe(true);
    expect(scopeOf(DEMO.users.agent)).toBe('USER');
  });
});

describe('Scope guard, group mode, after the trap has sprung', () => {
  it('plans to unassign a leaver who kept an individual assignment, and the real run removes it', async () => {
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {});
    await okta('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.agent}`);
    expect(await linked(DEMO.users.agent)).toBe(true);

    const dry = await reconcile('group', '--dry-run');
    // No group grants the assignment any more, so the API can remove it: leaving the group takes access away.
    expect(dry.doc.plan.unassign).toContainEqual(
      expect.objectContaining({ userId: DEMO.users.agent, reason: 'left-group' }),
    );

    await reconcile('group');
    expect(await linked(DEMO.users.agent)).toBe(false);
  });
});

describe('Switching from user mode to group mode', () => {
  /** An org the user mode has converged: every entitled member individually assigned. */
  async function convergedInUserMode(): Promise<string[]> {
    const first = await reconcile('user');
    expect(first.doc.result?.failed).toEqual([]);
    expect(emu.state.raw.appGroups.get(DEMO.appId)?.has(DEMO.groupId) ?? false).toBe(false);
    const members = new Set(emu.state.listGroupMemberIds(DEMO.groupId));
    const individual = emu.state
      .listAppUsers(DEMO.appId)
      .filter((u) => u.scope === 'USER' && members.has(u.id))
      .map((u) => u.id)
      .sort();
    expect(individual).toContain(DEMO.users.agent);
    return individual;
  }

  it('is a plan first: the dry run says it would assign the group, lists the redundant individual assignments, writes nothing and exits 2', async () => {
    const individual = await convergedInUserMode();
    const before = orgState();
    emu.control.clearRequestLog();

    const dry = await reconcile('group', '--dry-run');

    expect(dry.code).toBe(2);
    expect(dry.doc).toMatchObject({
      dryRun: true,
      groupAssignments: [{ groupId: DEMO.groupId, action: 'would-assign' }],
    });
    expect(dry.doc.scopeGuard.mode).toBe('group');
    expect(findingsOf(dry.doc)).toEqual(
      expect.arrayContaining(individual.map((userId) => ({ userId, scope: 'USER' }))),
    );
    // The org is converged for user mode: the group's assignment is the one change, and what makes the exit 2.
    expect(planChangeCount(dry.doc.plan)).toBe(0);
    expect(writesSince()).toEqual([]);
    expect(orgState()).toBe(before);
  });

  it('assigns the group on the real run and unassigns no one, the mass-removal guard untripped', async () => {
    const individual = await convergedInUserMode();
    const holders = emu.state
      .listAppUsers(DEMO.appId)
      .map((u) => u.id)
      .sort();
    emu.control.clearRequestLog();

    const applied = await reconcile('group');

    expect(applied.code).toBe(0);
    expect(applied.doc.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'assigned' }]);
    expect(emu.state.raw.appGroups.get(DEMO.appId)?.has(DEMO.groupId)).toBe(true);
    expect(applied.doc.plan.guard).toMatchObject({ tripped: false, removals: 0 });
    expect(emu.control.requestLog().filter((e) => e.method === 'DELETE')).toEqual([]);
    // Everyone who held the app still does; the individual assignments stay individual (no API converts them).
    expect(
      emu.state
        .listAppUsers(DEMO.appId)
        .map((u) => u.id)
        .sort(),
    ).toEqual(expect.arrayContaining(holders));
    for (const userId of individual) expect(scopeOf(userId)).toBe('USER');

    const next = await reconcile('group', '--dry-run');
    expect(next.doc.groupAssignments).toEqual([{ groupId: DEMO.groupId, action: 'already-assigned' }]);
    expect(findingsOf(next.doc)).toEqual(
      expect.arrayContaining(individual.map((userId) => ({ userId, scope: 'USER' }))),
    );
  });
});
