import {
  massRemovalGuard,
  planChangeCount,
  planReconcile,
  plannedUserIds,
  planStopped,
  stopReasons,
  type AppUser,
  type GroupMember,
  type ReconcileOptions,
} from '../../src/domain/reconcile-plan';
import { POLICY_DEFAULTS, resolvePolicy } from '../../src/domain/policy';
import { parseUserNameTemplate, renderUserName } from '../../src/domain/username-template';

interface MemberShape {
  status?: string;
  userType?: string | null;
  email?: string | undefined;
  login?: string;
}

function member(id: string, o: MemberShape = {}): GroupMember {
  const profile: Record<string, unknown> = {
    userType: 'userType' in o ? o.userType : 'agent',
    email: 'email' in o ? o.email : `${id}@example.com`,
    login: o.login ?? `${id}@example.org`,
  };
  return { id, status: o.status ?? 'ACTIVE', profile };
}

const byTemplate = (template: string) => {
  const parsed = parseUserNameTemplate(template);
  return (m: GroupMember) => renderUserName(parsed, m.profile);
};

function appUser(id: string, overrides: Partial<AppUser> = {}): AppUser {
  return {
    id,
    scope: 'USER',
    userName: `${id}@example.com`,
    status: 'PROVISIONED',
    userType: 'agent',
    ...overrides,
  };
}

const options: ReconcileOptions = {
  ...resolvePolicy({ groupIds: ['00g1frontline'] }),
  userNameFor: byTemplate('${source.email}'),
};

describe('Function: planReconcile', () => {
  it('in group mode plans the role for members, no assign, and removes only individual assignments of non-members', () => {
    const members = [member('new', { userType: null }), member('gone', { status: 'DEPROVISIONED' })];
    const appUsers = [appUser('leaver', { userType: 'agent' }), appUser('gone')];
    const user = planReconcile(members, appUsers, options);
    expect([user.assign.length, user.unassign.map((u) => u.userId)]).toEqual([1, ['gone', 'leaver']]);
    const group = planReconcile(members, appUsers, { ...options, assignmentMode: 'group' });
    expect(group.setUserType).toEqual(['new']);
    expect(group.assign).toEqual([]);
    // The leaver's USER-scope assignment outlived the membership (the scope trap): the API can remove it. A member's
    // is Okta's to manage (deactivation deprovisions it), so it is not unassigned here.
    expect(group.unassign).toEqual([expect.objectContaining({ userId: 'leaver', reason: 'left-group' })]);
    expect(group.guard.removals).toBe(1);
  });

  it('plans nothing when every active member is an agent and assigned', () => {
    const ids = ['a', 'b', 'c'];
    const plan = planReconcile(
      ids.map((id) => member(id)),
      ids.map((id) => appUser(id)),
      options,
    );
    expect(planChangeCount(plan)).toBe(0);
    expect(plan.guard.tripped).toBe(false);
    expect(plan.counts).toEqual({ members: 3, appUsers: 3 });
  });

  it('backfills members who joined while no event arrived: role first, then assignment with the templated username', () => {
    const plan = planReconcile([member('new', { userType: null }), member('roleOnly')], [appUser('new2')], {
      ...options,
      userNameFor: byTemplate('${source.login}'),
    });
    expect(plan.setUserType).toEqual(['new']);
    expect(plan.assign).toEqual([
      { userId: 'new', userName: 'new@example.org' },
      { userId: 'roleOnly', userName: 'roleOnly@example.org' },
    ]);
  });

  it('sets userType for an assigned member whose role was cleared, without reassigning', () => {
    const plan = planReconcile([member('a', { userType: 'manager' })], [appUser('a')], options);
    expect(plan.setUserType).toEqual(['a']);
    expect(plan.assign).toEqual([]);
  });

  it.each(['PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT'])(
    'treats a %s member as entitled',
    (status) => {
      const plan = planReconcile([member('a', { status })], [], options);
      expect(plan.assign).toHaveLength(1);
    },
  );

  it('leaves a STAGED member for the activation event', () => {
    const plan = planReconcile([member('s', { status: 'STAGED', userType: null })], [], options);
    expect(planChangeCount(plan)).toBe(0);
    expect(plan.skipped).toEqual([{ userId: 's', reason: expect.stringContaining('STAGED') }]);
  });

  it('keeps suspended members under the keep policy and unassigns deactivated ones', () => {
    const plan = planReconcile(
      [member('s', { status: 'SUSPENDED' }), member('d', { status: 'DEPROVISIONED' })],
      [appUser('s'), appUser('d')],
      { ...options, suspendedPolicy: 'keep' },
    );
    expect(plan.unassign).toEqual([{ userId: 'd', userName: 'd@example.com', reason: 'deactivated' }]);
  });

  it('plans nothing from a member read mid-transition, and says so', () => {
    const plan = planReconcile(
      [{ ...member('t', { status: 'ACTIVE' }), transitioningToStatus: 'DEPROVISIONED' }],
      [appUser('t')],
      options,
    );
    expect(planChangeCount(plan)).toBe(0);
    expect(plan.skipped).toEqual([
      { userId: 't', reason: 'ACTIVE, transitioning to DEPROVISIONED: decided on the next run' },
    ]);
  });

  it('reports a member whose directory masters userType once, and still assigns one already agent', () => {
    const plan = planReconcile(
      [
        { ...member('ad', { userType: null }), profileSource: 'ACTIVE_DIRECTORY' },
        { ...member('adagent', { userType: 'agent' }), profileSource: 'ACTIVE_DIRECTORY' },
      ],
      [],
      options,
    );
    expect(plan.mastered).toEqual([
      {
        userId: 'ad',
        source: 'ACTIVE_DIRECTORY',
        reason: 'userType is mastered by the profile source; set it there',
      },
    ]);
    expect(plan.setUserType).toEqual([]);
    expect(plan.assign).toEqual([{ userId: 'adagent', userName: 'adagent@example.com' }]);
    expect(plannedUserIds(plan)).toEqual(['adagent']);
  });

  it('unassigns suspended (policy remove) and deactivated members, naming why', () => {
    const plan = planReconcile(
      [
        member('s', { status: 'SUSPENDED' }),
        member('d', { status: 'DEPROVISIONED' }),
        member('x', { status: 'SUSPENDED' }),
      ],
      [appUser('s'), appUser('d')],
      { ...options, suspendedPolicy: 'remove' },
    );
    expect(plan.unassign).toEqual([
      { userId: 's', userName: 's@example.com', reason: 'suspended' },
      { userId: 'd', userName: 'd@example.com', reason: 'deactivated' },
    ]);
  });

  it('unassigns an agent who left the group', () => {
    const plan = planReconcile([member('stay')], [appUser('stay'), appUser('gone')], options);
    expect(plan.unassign).toEqual([{ userId: 'gone', userName: 'gone@example.com', reason: 'left-group' }]);
    expect(plan.unmanaged).toEqual([]);
  });

  it('reports a hand-assigned non-member as unmanaged and leaves it assigned', () => {
    const plan = planReconcile([member('a')], [appUser('a'), appUser('byhand', { userType: null })], options);
    expect(plan.unmanaged).toEqual([{ userId: 'byhand', userName: 'byhand@example.com' }]);
    expect(plan.unassign).toEqual([]);
  });

  it('treats a non-member whose profile was not listed as unmanaged: nothing is removed on a guess', () => {
    const plan = planReconcile([], [appUser('unknown', { userType: undefined })], options);
    expect(plan.unmanaged).toHaveLength(1);
    expect(plan.unassign).toEqual([]);
  });

  it('removes unmanaged users when pruning', () => {
    const plan = planReconcile([], [appUser('byhand', { userType: null })], {
      ...options,
      pruneUnmanaged: true,
    });
    expect(plan.unassign).toEqual([
      { userId: 'byhand', userName: 'byhand@example.com', reason: 'unmanaged-pruned' },
    ]);
    expect(plan.unmanaged).toHaveLength(1);
  });

  it('reports GROUP-scoped assignments and never unassigns them', () => {
    const plan = planReconcile(
      [member('m', { status: 'SUSPENDED' })],
      [appUser('g', { scope: 'GROUP' }), appUser('m', { scope: 'GROUP' })],
      { ...options, pruneUnmanaged: true, suspendedPolicy: 'remove' },
    );
    expect(plan.groupScoped.map((g) => g.userId).sort()).toEqual(['g', 'm']);
    expect(plan.unassign).toEqual([]);
  });

  it('skips a member whose username cannot be rendered instead of assigning a wrong one', () => {
    const plan = planReconcile([member('noemail', { email: undefined })], [], options);
    expect(plan.assign).toEqual([]);
    expect(plan.skipped).toEqual([
      { userId: 'noemail', reason: expect.stringContaining('profile.email is empty') },
    ]);
  });

  it('trips the guard on a mass removal: says why and still lists every removal it would make', () => {
    const assigned = Array.from({ length: 100 }, (_, i) => appUser(`u${i}`));
    const members = [member('new', { userType: null }), ...assigned.slice(0, 89).map((u) => member(u.id))];
    const plan = planReconcile(members, assigned, options);
    expect(plan.guard).toMatchObject({ tripped: true, removals: 11, currentAssignments: 100, allowed: 10 });
    expect(plan.guard.reason).toContain('--allow-mass-removal');
    expect(plan.unassign.map((u) => u.userId)).toEqual(assigned.slice(89).map((u) => u.id));
    expect(planChangeCount(plan)).toBe(13);
  });

  it('allows removals up to the share, and a mass removal when told to', () => {
    const assigned = Array.from({ length: 100 }, (_, i) => appUser(`u${i}`));
    const within = planReconcile(
      assigned.slice(0, 90).map((u) => member(u.id)),
      assigned,
      options,
    );
    expect(within.guard.tripped).toBe(false);
    expect(within.unassign).toHaveLength(10);
    const all = planReconcile([], assigned, { ...options, allowMassRemoval: true });
    expect(all.unassign).toHaveLength(100);
  });
});

describe('Function: massRemovalGuard', () => {
  it('always allows at least five removals on a small app', () => {
    expect(massRemovalGuard(5, 6, POLICY_DEFAULTS)).toMatchObject({ tripped: false, allowed: 5 });
    expect(massRemovalGuard(6, 6, POLICY_DEFAULTS)).toMatchObject({ tripped: true });
  });

  it('uses the configured share and floor', () => {
    expect(massRemovalGuard(30, 100, { maxRemovalShare: 0.25, minRemovalAllowance: 1 })).toMatchObject({
      tripped: true,
      allowed: 25,
    });
    expect(massRemovalGuard(25, 100, { maxRemovalShare: 0.25, minRemovalAllowance: 1 }).tripped).toBe(false);
  });
});

describe('Function: plannedUserIds', () => {
  it('lists a user needing a role and an assignment once', () => {
    const plan = planReconcile([member('a', { userType: null })], [], options);
    expect(plannedUserIds(plan)).toEqual(['a']);
  });
});

describe('Function: planReconcile, the mass-grant guard', () => {
  const policy = resolvePolicy({ groupIds: ['00g1'] });
  const newcomers = (n: number) =>
    Array.from({ length: n }, (_, i) => member(`00unew${i}`, { userType: null }));

  it('lets a run grant the minimum allowance, and counts every member who holds no assignment yet', () => {
    const plan = planReconcile(newcomers(POLICY_DEFAULTS.minGrantAllowance), [], policy);
    expect(plan.grantGuard).toMatchObject({ tripped: false, allowed: POLICY_DEFAULTS.minGrantAllowance });
    expect(plan.grantGuard.grants).toHaveLength(POLICY_DEFAULTS.minGrantAllowance);
    expect(plan.assign).toHaveLength(POLICY_DEFAULTS.minGrantAllowance);
  });

  it('stops a run granting more than the share of the members, saying why and what overrides it', () => {
    const members = [...newcomers(6), ...Array.from({ length: 4 }, (_, i) => member(`00uold${i}`))];
    const appUsers = members.slice(6).map((m) => appUser(m.id));
    const plan = planReconcile(members, appUsers, policy);
    expect(plan.grantGuard).toMatchObject({ tripped: true, members: 10, allowed: 5 });
    expect(plan.grantGuard.reason).toMatch(/6 of 10 members.*--allow-mass-grant/);
    expect(planStopped(plan)).toBe(true);
    expect(stopReasons(plan)).toEqual([plan.grantGuard.reason]);
  });

  it('lets the operator’s flag through, and a share large enough', () => {
    expect(planReconcile(newcomers(6), [], { ...policy, allowMassGrant: true }).grantGuard.tripped).toBe(
      false,
    );
    expect(planReconcile(newcomers(6), [], { ...policy, maxGrantShare: 1 }).grantGuard.tripped).toBe(false);
  });

  it('stops a plan that grants Frontline to the user running it, however few it grants', () => {
    const plan = planReconcile(newcomers(1), [], { ...policy, selfUserId: '00unew0' });
    expect(plan.grantGuard).toMatchObject({ tripped: true, toSelf: true });
    expect(plan.grantGuard.reason).toMatch(/the user running it \(00unew0\)/);
  });

  it('reports a userType it overwrites with the value it held, and none it only sets', () => {
    const plan = planReconcile(
      [
        member('00umanager', { userType: 'manager' }),
        member('00uempty', { userType: '' }),
        member('00unone', { userType: null }),
      ],
      [],
      policy,
    );
    expect(plan.overwrites).toEqual([{ userId: '00umanager', previous: 'manager' }]);
    expect(plan.setUserType).toEqual(['00umanager', '00uempty', '00unone']);
  });

  it('is not stopped when neither guard tripped', () => {
    const plan = planReconcile([member('00uagent')], [appUser('00uagent')], policy);
    expect(planStopped(plan)).toBe(false);
    expect(stopReasons(plan)).toEqual([]);
  });
});
