import fc from 'fast-check';
import {
  APPS_BUCKET_ACTIONS,
  decide,
  DISENTITLED_STATUSES,
  ENTITLED_STATUSES,
  type Decision,
  type DecideOptions,
  type ObservedAssignment,
  type ObservedUser,
} from '../../src/domain/desired-state';
import { REMOVAL_EVENT_TYPES } from '../../src/domain/hook-events';
import { resolvePolicy } from '../../src/domain/policy';

const GROUP: DecideOptions = {
  ...resolvePolicy({ groupIds: ['00g1frontline'], clearUserTypeOnRemoval: false, assignmentMode: 'group' }),
  userName: { ok: true, value: 'ana@example.com' },
};

function user(overrides: Partial<ObservedUser> = {}): ObservedUser {
  return { status: 'ACTIVE', userType: null, inGroup: true, assignment: 'unknown', ...overrides };
}

function actionTypes(decision: Decision): string[] {
  return decision.kind === 'apply' ? decision.actions.map((a) => a.type) : [];
}

describe('Function: decide in group mode', () => {
  it.each(ENTITLED_STATUSES)('gives a %s joiner the role only: Okta assigns through the group', (status) => {
    expect(decide(user({ status }), ['group.user_membership.add'], GROUP)).toEqual({
      kind: 'apply',
      desired: 'assigned',
      actions: [{ type: 'set-user-type', userType: 'agent' }],
    });
  });

  it('names the role a joiner’s "agent" overwrites, as in user mode', () => {
    expect(decide(user({ userType: 'manager' }), ['group.user_membership.add'], GROUP)).toEqual({
      kind: 'apply',
      desired: 'assigned',
      actions: [{ type: 'set-user-type', userType: 'agent', replaces: 'manager' }],
    });
  });

  it('makes no write for a member whose role is already agent, even with no assignment seen yet', () => {
    expect(decide(user({ userType: 'agent', assignment: 'not-assigned' }), [], GROUP)).toEqual({
      kind: 'apply',
      desired: 'assigned',
      actions: [],
    });
  });

  it('skips a leaver’s group-held access as user mode does: Okta removes it, or another group grants it', () => {
    const leaver = user({ inGroup: false, userType: 'agent', assignment: 'assigned-group' });
    for (const assignmentMode of ['group', 'user'] as const) {
      expect(decide(leaver, ['group.user_membership.remove'], { ...GROUP, assignmentMode })).toMatchObject({
        kind: 'skip',
        code: 'group-scoped-assignment',
      });
    }
  });

  it('clears a leaver’s role when asked, still without unassigning', () => {
    // No app link left: Okta removed the group's assignment.
    const leaver = user({ inGroup: false, userType: 'agent', assignment: 'unknown' });
    expect(
      actionTypes(
        decide(leaver, ['group.user_membership.remove'], { ...GROUP, clearUserTypeOnRemoval: true }),
      ),
    ).toEqual(['clear-user-type']);
  });

  it('unassigns a leaver who still holds the app (the scope trap: an individual assignment Okta keeps)', () => {
    for (const assignment of ['assigned', 'assigned-user'] as const) {
      const leaver = user({ inGroup: false, userType: 'agent', assignment });
      expect(actionTypes(decide(leaver, ['group.user_membership.remove'], GROUP))).toEqual(['unassign']);
    }
  });

  it('unassigns a non-member the reconcile saw holding an individual assignment, even with no app link', () => {
    const leaver = user({ inGroup: false, userType: 'agent', assignment: 'unknown' });
    expect(actionTypes(decide(leaver, ['reconcile.unassign'], GROUP))).toEqual(['unassign']);
    expect(actionTypes(decide(leaver, ['group.user_membership.remove'], GROUP))).toEqual([]);
  });

  it('leaves a hand-made assignment of a non-member alone unless pruning, as user mode does', () => {
    const stray = user({ inGroup: false, userType: null, assignment: 'assigned' });
    expect(decide(stray, [], GROUP)).toMatchObject({ kind: 'skip', code: 'unmanaged-assignment' });
    expect(actionTypes(decide(stray, [], { ...GROUP, pruneUnmanaged: true }))).toEqual(['unassign']);
  });

  it('never plans an apps-bucket call for a member, nor for a non-member whose app link is gone (hook triggers)', () => {
    const statuses = [...ENTITLED_STATUSES, ...DISENTITLED_STATUSES, 'STAGED'];
    const assignments: ObservedAssignment[] = [
      'assigned',
      'assigned-user',
      'assigned-group',
      'not-assigned',
      'unknown',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.boolean(),
        fc.constantFrom(...assignments),
        fc.constantFrom(null, 'agent', 'supervisor'),
        fc.subarray([
          ...REMOVAL_EVENT_TYPES.filter((t) => !t.startsWith('reconcile.')),
          'group.user_membership.add',
          'group.user_membership.remove',
        ]),
        fc.boolean(),
        fc.constantFrom('keep' as const, 'remove' as const),
        (status, inGroup, assignment, userType, triggers, prune, suspendedPolicy) => {
          const holdsApp = !inGroup && ['assigned', 'assigned-user'].includes(assignment);
          fc.pre(!holdsApp);
          const decision = decide(user({ status, inGroup, assignment, userType }), triggers, {
            ...GROUP,
            pruneUnmanaged: prune,
            suspendedPolicy,
          });
          expect(actionTypes(decision).filter((t) => APPS_BUCKET_ACTIONS.includes(t as never))).toEqual([]);
        },
      ),
    );
  });
});
