import {
  ASSIGNMENT_MODES,
  inFrontlineGroups,
  POLICY_DEFAULTS,
  resolvePolicy,
  SUSPENDED_POLICIES,
  type Policy,
} from '../../src/domain/policy';

const GROUP_A = '00gA0000000000000000';
const GROUP_B = '00gB0000000000000000';
const GROUP_C = '00gC0000000000000000';

describe('Constant: POLICY_DEFAULTS', () => {
  it('holds the documented defaults', () => {
    // Assess
    expect(POLICY_DEFAULTS).toEqual({
      assignmentMode: 'user',
      suspendedPolicy: 'remove',
      clearUserTypeOnRemoval: false,
      pruneUnmanaged: false,
      pinnedUserNameTemplate: undefined,
      maxRemovalShare: 0.1,
      minRemovalAllowance: 5,
      maxGrantShare: 0.1,
      minGrantAllowance: 5,
    });
    expect(ASSIGNMENT_MODES).toContain(POLICY_DEFAULTS.assignmentMode);
    expect(SUSPENDED_POLICIES).toContain(POLICY_DEFAULTS.suspendedPolicy);
  });
});

describe('Function: resolvePolicy', () => {
  const keys = Object.keys(POLICY_DEFAULTS) as (keyof typeof POLICY_DEFAULTS)[];

  it.each(keys)('applies the default %s when none is given', (key) => {
    // Act
    const policy = resolvePolicy({ groupIds: [GROUP_A] });

    // Assess
    expect(policy[key]).toBe(POLICY_DEFAULTS[key]);
  });

  it.each(keys)('applies the default %s when the source gives undefined', (key) => {
    // Act
    const policy = resolvePolicy({ groupIds: [GROUP_A], [key]: undefined });

    // Assess
    expect(policy[key]).toBe(POLICY_DEFAULTS[key]);
  });

  it('returns exactly the groups and the defaults when only groups are given', () => {
    // Act
    const policy = resolvePolicy({ groupIds: [GROUP_A] });

    // Assess
    expect(policy).toEqual({ groupIds: [GROUP_A], ...POLICY_DEFAULTS });
  });

  it('keeps every value it is given, instead of the default', () => {
    // Prepare
    const given: Policy = {
      groupIds: [GROUP_A, GROUP_B],
      assignmentMode: 'group',
      suspendedPolicy: 'keep',
      clearUserTypeOnRemoval: true,
      pruneUnmanaged: true,
      pinnedUserNameTemplate: '${source.login}',
      maxRemovalShare: 0.25,
      minRemovalAllowance: 2,
      maxGrantShare: 0.5,
      minGrantAllowance: 3,
    };

    // Act
    const policy = resolvePolicy(given);

    // Assess
    expect(policy).toEqual(given);
  });

  it('keeps a given zero rather than taking it for an absent value', () => {
    // Act
    const policy = resolvePolicy({ groupIds: [GROUP_A], maxRemovalShare: 0, minRemovalAllowance: 0 });

    // Assess
    expect([policy.maxRemovalShare, policy.minRemovalAllowance]).toEqual([0, 0]);
  });

  it('deduplicates the groups, keeping the order of their first mention', () => {
    // Act
    const policy = resolvePolicy({ groupIds: [GROUP_B, GROUP_A, GROUP_B, GROUP_C, GROUP_A] });

    // Assess
    expect(policy.groupIds).toEqual([GROUP_B, GROUP_A, GROUP_C]);
  });

  it('keeps no groups when given none', () => {
    // Act
    const policy = resolvePolicy({ groupIds: [] });

    // Assess
    expect(policy.groupIds).toEqual([]);
  });

  it('does not share the caller’s group list: a later change to it leaves the policy as it was', () => {
    // Prepare
    const groupIds = [GROUP_A];
    const policy = resolvePolicy({ groupIds });

    // Act
    groupIds.push(GROUP_B);

    // Assess
    expect(policy.groupIds).toEqual([GROUP_A]);
  });
});

describe('Function: inFrontlineGroups', () => {
  const policy = resolvePolicy({ groupIds: [GROUP_A, GROUP_B] });

  it.each([
    ['the first group', [GROUP_A]],
    ['the second group', [GROUP_B]],
    ['both groups', [GROUP_A, GROUP_B]],
    ['the second group among other groups', [GROUP_C, GROUP_B, '00gD0000000000000000']],
  ])('is true for a member of %s', (_name, userGroupIds) => {
    // Act / Assess
    expect(inFrontlineGroups(policy, userGroupIds)).toBe(true);
  });

  it.each([
    ['only another group', [GROUP_C]],
    ['no group at all', []],
  ])('is false for a user in %s', (_name, userGroupIds) => {
    // Act / Assess
    expect(inFrontlineGroups(policy, userGroupIds)).toBe(false);
  });

  it('is false for everyone when the policy names no group', () => {
    // Act / Assess
    expect(inFrontlineGroups(resolvePolicy({ groupIds: [] }), [GROUP_A])).toBe(false);
  });
});
