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

const OPTIONS: DecideOptions = {
  ...resolvePolicy({ groupIds: ['00g1frontline'], clearUserTypeOnRemoval: false }),
  userName: { ok: true, value: 'ana@example.com' },
};

function user(overrides: Partial<ObservedUser> = {}): ObservedUser {
  return { status: 'ACTIVE', userType: null, inGroup: true, assignment: 'unknown', ...overrides };
}

function actionTypes(decision: Decision): string[] {
  return decision.kind === 'apply' ? decision.actions.map((a) => a.type) : [];
}

describe('Function: decide', () => {
  describe('entitled statuses in the group', () => {
    it('assigns without a username when none is pinned, so Okta applies the app’s own template', () => {
      const decision = decide(user({ userType: 'agent' }), [], { ...OPTIONS, userName: undefined });
      expect(decision).toEqual({ kind: 'apply', desired: 'assigned', actions: [{ type: 'assign' }] });
    });

    it.each(ENTITLED_STATUSES)('onboards a %s member: sets userType then assigns', (status) => {
      const decision = decide(user({ status }), ['group.user_membership.add'], OPTIONS);
      expect(decision).toEqual({
        kind: 'apply',
        desired: 'assigned',
        actions: [
          { type: 'set-user-type', userType: 'agent' },
          { type: 'assign', userName: 'ana@example.com' },
        ],
      });
    });

    it('makes no call for a member whose appLinks show the app and whose userType is agent', () => {
      const decision = decide(
        user({ userType: 'agent', assignment: 'assigned' }),
        ['group.user_membership.add'],
        OPTIONS,
      );
      expect(decision).toEqual({ kind: 'apply', desired: 'assigned', actions: [] });
    });

    it('only writes the profile when the assignment is already there', () => {
      const decision = decide(user({ userType: 'supervisor', assignment: 'assigned' }), [], OPTIONS);
      expect(actionTypes(decision)).toEqual(['set-user-type']);
    });

    it.each([
      ['supervisor', { replaces: 'supervisor' }],
      [null, {}],
      [undefined, {}],
      ['', {}],
    ])('names the role %p the onboarding overwrites, so it is recorded and put back', (userType, named) => {
      const decision = decide(user({ userType, assignment: 'assigned' }), [], OPTIONS);
      expect(decision.kind === 'apply' && decision.actions).toEqual([
        { type: 'set-user-type', userType: 'agent', ...named },
      ]);
    });

    it('only assigns when the profile is already right', () => {
      const decision = decide(user({ userType: 'agent', assignment: 'not-assigned' }), [], OPTIONS);
      expect(actionTypes(decision)).toEqual(['assign']);
    });

    it('leaves a group-scoped assignment alone for a member (they have the app)', () => {
      const decision = decide(user({ userType: 'agent', assignment: 'assigned-group' }), [], OPTIONS);
      expect(actionTypes(decision)).toEqual([]);
    });

    it('skips with the reason when the username cannot be derived', () => {
      const decision = decide(user(), ['group.user_membership.add'], {
        ...OPTIONS,
        userName: { ok: false, reason: 'profile.email is empty' },
      });
      expect(decision).toEqual({
        kind: 'skip',
        code: 'username-unavailable',
        reason: 'profile.email is empty',
      });
    });
  });

  describe('removal', () => {
    it('leaves a hand-made assignment of a non-member without userType agent in place, as unmanaged', () => {
      const decision = decide(
        user({ inGroup: false, userType: null, assignment: 'assigned' }),
        ['application.user_membership.add'],
        OPTIONS,
      );
      expect(decision).toMatchObject({ kind: 'skip', code: 'unmanaged-assignment' });
    });

    it('removes an unmanaged assignment when pruning is configured', () => {
      const decision = decide(
        user({ inGroup: false, userType: null, assignment: 'assigned' }),
        ['application.user_membership.add'],
        { ...OPTIONS, pruneUnmanaged: true },
      );
      expect(actionTypes(decision)).toEqual(['unassign']);
    });

    it('removes the assignment of a user who left the group even when their profile lacks userType agent', () => {
      const decision = decide(
        user({ inGroup: false, userType: null, assignment: 'assigned' }),
        ['group.user_membership.remove'],
        OPTIONS,
      );
      expect(actionTypes(decision)).toEqual(['unassign']);
    });

    it('removes the assignment of a suspended user whatever their profile says', () => {
      const decision = decide(
        user({ status: 'SUSPENDED', inGroup: false, userType: null, assignment: 'assigned' }),
        ['user.lifecycle.suspend'],
        OPTIONS,
      );
      expect(actionTypes(decision)).toEqual(['unassign']);
    });

    it('unassigns a user who left the group and whose appLinks show the app, keeping userType', () => {
      const decision = decide(
        user({ inGroup: false, userType: 'agent', assignment: 'assigned' }),
        ['group.user_membership.remove'],
        OPTIONS,
      );
      expect(decision).toEqual({ kind: 'apply', desired: 'unassigned', actions: [{ type: 'unassign' }] });
    });

    it('clears userType after unassigning when configured', () => {
      const decision = decide(user({ inGroup: false, userType: 'agent', assignment: 'assigned' }), [], {
        ...OPTIONS,
        clearUserTypeOnRemoval: true,
      });
      expect(actionTypes(decision)).toEqual(['unassign', 'clear-user-type']);
    });

    it('does not clear a userType that is not agent', () => {
      const decision = decide(
        user({ inGroup: false, userType: 'supervisor', assignment: 'not-assigned' }),
        [],
        {
          ...OPTIONS,
          clearUserTypeOnRemoval: true,
        },
      );
      expect(actionTypes(decision)).toEqual([]);
    });

    it('unassigns a SUSPENDED member under the default policy: suspension takes access away', () => {
      const decision = decide(
        user({ status: 'SUSPENDED', userType: 'agent', assignment: 'assigned' }),
        ['user.lifecycle.suspend'],
        OPTIONS,
      );
      expect(decision).toEqual({ kind: 'apply', desired: 'unassigned', actions: [{ type: 'unassign' }] });
    });

    it('keeps a SUSPENDED member as is under the keep policy: Okta retains the assignment', () => {
      const keep = { ...OPTIONS, suspendedPolicy: 'keep' as const };
      const assigned = decide(
        user({ status: 'SUSPENDED', userType: 'agent', assignment: 'assigned' }),
        [],
        keep,
      );
      const unknown = decide(
        user({ status: 'SUSPENDED', userType: 'agent', assignment: 'unknown' }),
        ['user.lifecycle.suspend'],
        keep,
      );
      expect(assigned).toEqual({ kind: 'apply', desired: 'kept', actions: [] });
      expect(unknown).toEqual({ kind: 'apply', desired: 'kept', actions: [] });
    });

    it('still unassigns a SUSPENDED user who left the group', () => {
      const decision = decide(
        user({ status: 'SUSPENDED', inGroup: false, userType: 'agent', assignment: 'assigned' }),
        [],
        OPTIONS,
      );
      expect(actionTypes(decision)).toEqual(['unassign']);
    });

    it.each(['ACTIVE', 'DEPROVISIONED', 'STAGED'])(
      'decides nothing for a %s user read mid-transition: read again shortly',
      (status) => {
        const decision = decide(
          user({ status, userType: 'agent', assignment: 'assigned', transitioningTo: 'DEPROVISIONED' }),
          ['user.lifecycle.deactivate'],
          OPTIONS,
        );
        expect(decision).toEqual({
          kind: 'retry',
          reason: expect.stringContaining('transitioning to DEPROVISIONED'),
        });
      },
    );

    it.each(DISENTITLED_STATUSES)(
      'unassigns a %s member even though they are still in the group (suspended policy remove)',
      (status) => {
        const decision = decide(user({ status, userType: 'agent', assignment: 'assigned' }), [], {
          ...OPTIONS,
          suspendedPolicy: 'remove',
        });
        expect(decision).toMatchObject({
          kind: 'apply',
          desired: 'unassigned',
          actions: [{ type: 'unassign' }],
        });
      },
    );

    it.each([...REMOVAL_EVENT_TYPES])(
      'unassigns anyway when appLinks does not show the app and the trigger is %s',
      (eventType) => {
        const decision = decide(
          user({ status: 'DEPROVISIONED', assignment: 'unknown' }),
          [eventType],
          OPTIONS,
        );
        expect(actionTypes(decision)).toEqual(['unassign']);
      },
    );

    it.each(['group.user_membership.add', 'user.lifecycle.activate', 'user.lifecycle.unsuspend'])(
      'makes no apps call for a non-member not shown in appLinks when the trigger is %s',
      (eventType) => {
        const decision = decide(user({ inGroup: false, assignment: 'unknown' }), [eventType], OPTIONS);
        expect(decision).toEqual({ kind: 'apply', desired: 'unassigned', actions: [] });
      },
    );

    it('makes no call when the assignment is known to be absent, whatever the trigger', () => {
      const decision = decide(
        user({ inGroup: false, assignment: 'not-assigned' }),
        ['group.user_membership.remove'],
        OPTIONS,
      );
      expect(actionTypes(decision)).toEqual([]);
    });

    it('skips a group-scoped assignment that would have to be removed', () => {
      const decision = decide(user({ inGroup: false, assignment: 'assigned-group' }), [], OPTIONS);
      expect(decision).toMatchObject({ kind: 'skip', code: 'group-scoped-assignment' });
    });
  });

  describe('other statuses', () => {
    it('waits for activation for a STAGED member', () => {
      const decision = decide(user({ status: 'STAGED' }), ['group.user_membership.add'], OPTIONS);
      expect(decision).toMatchObject({ kind: 'skip', code: 'staged-awaiting-activation' });
    });

    it('removes an assignment a STAGED non-member was given', () => {
      const decision = decide(
        user({ status: 'STAGED', inGroup: false, assignment: 'assigned' }),
        [],
        OPTIONS,
      );
      expect(actionTypes(decision)).toEqual(['unassign']);
    });

    it('skips a user Okta no longer has', () => {
      const decision = decide(user({ status: 'missing' }), ['user.lifecycle.delete.initiated'], OPTIONS);
      expect(decision).toMatchObject({ kind: 'skip', code: 'user-not-found' });
    });

    it('skips a status it does not know rather than guessing', () => {
      const decision = decide(user({ status: 'SOMETHING_NEW' }), [], OPTIONS);
      expect(decision).toMatchObject({ kind: 'skip', code: 'unknown-status' });
    });
  });

  describe('properties', () => {
    const statusArb = fc.constantFrom(
      ...ENTITLED_STATUSES,
      ...DISENTITLED_STATUSES,
      'STAGED',
      'missing',
      'WEIRD',
    );
    const assignmentArb = fc.constantFrom<ObservedAssignment>(
      'assigned',
      'assigned-user',
      'assigned-group',
      'not-assigned',
      'unknown',
    );
    const observedArb = fc.record({
      status: statusArb,
      userType: fc.constantFrom(null, undefined, 'agent', 'supervisor', ''),
      inGroup: fc.boolean(),
      assignment: assignmentArb,
    });
    const triggersArb = fc.array(
      fc.constantFrom(
        ...REMOVAL_EVENT_TYPES,
        'group.user_membership.add',
        'user.lifecycle.activate',
        'user.lifecycle.reactivate',
        'user.lifecycle.unsuspend',
        'application.user_membership.remove',
      ),
      { minLength: 1, maxLength: 3 },
    );
    const optionsArb = fc
      .record({
        clearUserTypeOnRemoval: fc.boolean(),
        pruneUnmanaged: fc.boolean(),
        userName: fc.constantFrom<DecideOptions['userName']>(
          { ok: true, value: 'ana@example.com' },
          { ok: false, reason: 'no email' },
        ),
      })
      .map(({ userName, ...policy }): DecideOptions => ({
        ...resolvePolicy({ groupIds: ['00g1frontline'], ...policy }),
        userName,
      }));

    it('never plans both assign and unassign, nor more than one apps-bucket call, nor a duplicate action', () => {
      fc.assert(
        fc.property(observedArb, triggersArb, optionsArb, (observed, triggers, options) => {
          const types = actionTypes(decide(observed, triggers, options));
          expect(types.includes('assign') && types.includes('unassign')).toBe(false);
          expect(types.filter((t) => APPS_BUCKET_ACTIONS.includes(t as never)).length).toBeLessThanOrEqual(1);
          expect(new Set(types).size).toBe(types.length);
        }),
      );
    });

    it('plans nothing once the planned writes have been made (a converged state yields no actions)', () => {
      fc.assert(
        fc.property(observedArb, triggersArb, optionsArb, (observed, triggers, options) => {
          const first = decide(observed, triggers, options);
          if (first.kind !== 'apply') return;
          const after: ObservedUser = { ...observed };
          for (const action of first.actions) {
            if (action.type === 'set-user-type') after.userType = 'agent';
            if (action.type === 'clear-user-type') after.userType = null;
            if (action.type === 'assign') after.assignment = 'assigned-user';
            if (action.type === 'unassign') after.assignment = 'not-assigned';
          }
          expect(decide(after, triggers, options)).toEqual({
            kind: 'apply',
            desired: first.desired,
            actions: [],
          });
        }),
      );
    });

    it('never assigns anyone who is not an entitled member', () => {
      fc.assert(
        fc.property(observedArb, triggersArb, optionsArb, (observed, triggers, options) => {
          const types = actionTypes(decide(observed, triggers, options));
          const entitled =
            (ENTITLED_STATUSES as readonly string[]).includes(observed.status) && observed.inGroup;
          if (!entitled) expect(types).not.toContain('assign');
          if (!entitled) expect(types).not.toContain('set-user-type');
        }),
      );
    });

    it('makes no apps-bucket call for a non-removal trigger unless the user is an entitled member', () => {
      fc.assert(
        fc.property(
          observedArb,
          fc.array(fc.constantFrom('group.user_membership.add', 'user.lifecycle.activate'), { minLength: 1 }),
          optionsArb,
          (observed, triggers, options) => {
            const entitled =
              (ENTITLED_STATUSES as readonly string[]).includes(observed.status) && observed.inGroup;
            const shown = ['assigned', 'assigned-user'].includes(observed.assignment);
            const types = actionTypes(decide(observed, triggers, options));
            if (!entitled && !shown) expect(types).not.toContain('unassign');
          },
        ),
      );
    });
  });
});
