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

const GROUP: DecideOptions = {
  clearUserTypeOnRemoval: false,
  userName: { ok: true, value: 'ana@example.com' },
  assignmentMode: 'group',
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

  it('makes no write for a member whose role is already agent, even with no assignment seen yet', () => {
    expect(decide(user({ userType: 'agent', assignment: 'not-assigned' }), [], GROUP)).toEqual({
      kind: 'apply',
      desired: 'assigned',
      actions: [],
    });
  });

  it('leaves a leaver’s group-held access to Okta instead of skipping it as in user mode', () => {
    const leaver = user({ inGroup: false, userType: 'agent', assignment: 'assigned-group' });
    expect(decide(leaver, ['group.user_membership.remove'], GROUP)).toEqual({
      kind: 'apply',
      desired: 'unassigned',
      actions: [],
    });
    expect(
      decide(leaver, ['group.user_membership.remove'], { ...GROUP, assignmentMode: 'user' }),
    ).toMatchObject({
      kind: 'skip',
      code: 'group-scoped-assignment',
    });
  });

  it('clears a leaver’s role when asked, still without unassigning', () => {
    const leaver = user({ inGroup: false, userType: 'agent', assignment: 'assigned' });
    expect(
      actionTypes(
        decide(leaver, ['group.user_membership.remove'], { ...GROUP, clearUserTypeOnRemoval: true }),
      ),
    ).toEqual(['clear-user-type']);
  });

  it('reports a leaver who keeps an individual assignment instead of unassigning them', () => {
    const leaver = user({ inGroup: false, userType: 'agent', assignment: 'assigned-user' });
    expect(decide(leaver, ['group.user_membership.remove'], GROUP)).toMatchObject({
      kind: 'skip',
      code: 'individual-assignment',
    });
  });

  it('never plans an apps-bucket call, whatever the user and the triggers', () => {
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
        fc.subarray([...REMOVAL_EVENT_TYPES, 'group.user_membership.add', 'group.user_membership.remove']),
        fc.boolean(),
        fc.constantFrom('keep' as const, 'remove' as const),
        (status, inGroup, assignment, userType, triggers, prune, suspendedPolicy) => {
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
