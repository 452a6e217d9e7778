import { scopeGuard } from '../../src/domain/scope-guard';
import type { AppUser, GroupMember } from '../../src/domain/reconcile-plan';
import { resolvePolicy, type AssignmentMode, type SuspendedPolicy } from '../../src/domain/policy';

const policy = (assignmentMode: AssignmentMode, suspendedPolicy?: SuspendedPolicy) =>
  resolvePolicy({ groupIds: ['00g1frontline'], assignmentMode, suspendedPolicy });

const member = (id: string, status = 'ACTIVE'): GroupMember => ({ id, status, profile: {} });
const appUser = (id: string, scope: 'USER' | 'GROUP'): AppUser => ({
  id,
  scope,
  userName: `${id}@example.com`,
  status: 'ACTIVE',
});

describe('Function: scopeGuard', () => {
  it('lists, in user mode, group-held access of users who should not have the app', () => {
    const report = scopeGuard(
      policy('user'),
      [member('00u1'), member('00u2', 'SUSPENDED')],
      [appUser('00u1', 'GROUP'), appUser('00u2', 'GROUP'), appUser('00u3', 'GROUP'), appUser('00u4', 'USER')],
    );
    expect(report.findings.map((f) => [f.userId, f.scope])).toEqual([
      ['00u2', 'GROUP'],
      ['00u3', 'GROUP'],
    ]);
    expect(report.findings[0]?.remedy).toMatch(/Admin Console/);
  });

  it('lists, in group mode, individual assignments of members that would outlive their membership', () => {
    const report = scopeGuard(
      policy('group'),
      [member('00u1'), member('00u2')],
      [appUser('00u1', 'USER'), appUser('00u2', 'GROUP'), appUser('00u3', 'USER')],
    );
    expect(report).toEqual({
      mode: 'group',
      findings: [expect.objectContaining({ userId: '00u1', scope: 'USER', userName: '00u1@example.com' })],
    });
  });

  it('finds nothing when every scope matches the mode', () => {
    expect(scopeGuard(policy('user'), [member('00u1')], [appUser('00u1', 'USER')]).findings).toEqual([]);
    expect(scopeGuard(policy('group'), [member('00u1')], [appUser('00u1', 'GROUP')]).findings).toEqual([]);
  });
});

describe('Function: scopeGuard, the cases between the two traps', () => {
  it('lists, in group mode, group-held access of a non-member (another group assigned to the app)', () => {
    const report = scopeGuard(
      policy('group'),
      [member('00u1')],
      [appUser('00u1', 'GROUP'), appUser('00u9', 'GROUP')],
    );
    expect(report.findings).toEqual([
      expect.objectContaining({ userId: '00u9', scope: 'GROUP', kind: 'group-held-not-entitled' }),
    ]);
  });

  it('never lists, in group mode, a suspended member: Okta keeps the group’s assignment and blocks the sign-in', () => {
    expect(
      scopeGuard(policy('group'), [member('00u1', 'SUSPENDED')], [appUser('00u1', 'GROUP')]).findings,
    ).toEqual([]);
  });

  it('lets a suspended member hold a group assignment in user mode only under the keep policy', () => {
    const members = [member('00u1', 'SUSPENDED')];
    const held = [appUser('00u1', 'GROUP')];
    expect(scopeGuard(policy('user', 'keep'), members, held).findings).toEqual([]);
    expect(scopeGuard(policy('user', 'remove'), members, held).findings).toHaveLength(1);
    expect(scopeGuard(policy('user'), members, held).findings).toHaveLength(1);
  });

  it('names the Admin Console step for each kind, since Okta’s API converts no scope', () => {
    const report = scopeGuard(
      policy('group'),
      [member('00u1')],
      [appUser('00u1', 'USER'), appUser('00u2', 'GROUP')],
    );
    const byKind = Object.fromEntries(report.findings.map((f) => [f.kind, f.remedy]));
    expect(byKind['individual-outlives-membership']).toMatch(/Convert Assignments/);
    expect(byKind['group-held-not-entitled']).toMatch(/E0000046/);
    expect(byKind['group-held-not-entitled']).toMatch(/Administrator \(overrides group\)/);
  });
});
