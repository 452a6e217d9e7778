/**
 * The one resolved policy: who should have Frontline and how the product may change access. Built once per process
 * (src/config/policy-env.ts from the environment, infra/config.ts from the deployment file) and passed whole to the
 * worker, the decision, the reconcile plan and the scope guard. Defaults live in POLICY_DEFAULTS and are applied by
 * `resolvePolicy` only (test/architecture/layout.test.ts enforces it). Design: docs/design.md.
 */

/** What a suspension does to a member's access (docs/design.md, "Suspension"). */
export const SUSPENDED_POLICIES = ['keep', 'remove'] as const;
export type SuspendedPolicy = (typeof SUSPENDED_POLICIES)[number];

/**
 * How members get the app: `user` assigns and unassigns each member; `group` has the Frontline groups themselves
 * assigned to the app and only writes `userType` (docs/design.md, "Group mode").
 */
export const ASSIGNMENT_MODES = ['user', 'group'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export interface Policy {
  /**
   * The Frontline groups: a member of any of them should have Frontline, leaving the last one takes it away. Empty
   * only for commands that never look at members (`check` without a group, `setup`).
   */
  readonly groupIds: readonly string[];
  readonly assignmentMode: AssignmentMode;
  readonly suspendedPolicy: SuspendedPolicy;
  /** Clear `profile.userType` when access goes (otherwise it is kept). */
  readonly clearUserTypeOnRemoval: boolean;
  /** Also remove assignments this tool did not make (assigned by hand, never in a Frontline group). */
  readonly pruneUnmanaged: boolean;
  /**
   * FRONTLINE_USERNAME_TEMPLATE when set: it pins the app's username template (the app guard reports drift from
   * it). Undefined: the app's own template is the admin's choice and assignments take the username Okta derives.
   */
  readonly pinnedUserNameTemplate: string | undefined;
  /** Largest share of current assignments (or recorded Frontline identities) one run may remove. */
  readonly maxRemovalShare: number;
  /** A run may always remove at least this many. */
  readonly minRemovalAllowance: number;
  /**
   * Largest share of the Frontline groups' members one reconcile may grant Frontline to (a wrong group id, such as
   * Everyone, would grant it to the whole org). The first backfill after install exceeds it by design: the operator
   * confirms it once (`reconcile --allow-mass-grant`).
   */
  readonly maxGrantShare: number;
  /** A run may always grant at least this many. */
  readonly minGrantAllowance: number;
}

/** Every default of the policy, here and nowhere else. */
export const POLICY_DEFAULTS = {
  assignmentMode: 'user',
  suspendedPolicy: 'remove',
  clearUserTypeOnRemoval: false,
  pruneUnmanaged: false,
  pinnedUserNameTemplate: undefined,
  maxRemovalShare: 0.1,
  minRemovalAllowance: 5,
  maxGrantShare: 0.1,
  minGrantAllowance: 5,
} as const satisfies Omit<Policy, 'groupIds'>;

/** A policy as a source gives it: groups required, every other field optional (its default then applies). */
export type PolicyInput = { readonly groupIds: readonly string[] } & {
  readonly [K in keyof Omit<Policy, 'groupIds'>]?: Policy[K] | undefined;
};

/** The policy with its defaults applied; groups deduplicated in the order given. */
export function resolvePolicy(input: PolicyInput): Policy {
  const pick = <K extends keyof typeof POLICY_DEFAULTS>(key: K): Policy[K] =>
    (input[key] ?? POLICY_DEFAULTS[key]) as Policy[K];
  return Object.freeze({
    groupIds: Object.freeze([...new Set(input.groupIds)]),
    assignmentMode: pick('assignmentMode'),
    suspendedPolicy: pick('suspendedPolicy'),
    clearUserTypeOnRemoval: pick('clearUserTypeOnRemoval'),
    pruneUnmanaged: pick('pruneUnmanaged'),
    pinnedUserNameTemplate: pick('pinnedUserNameTemplate'),
    maxRemovalShare: pick('maxRemovalShare'),
    minRemovalAllowance: pick('minRemovalAllowance'),
    maxGrantShare: pick('maxGrantShare'),
    minGrantAllowance: pick('minGrantAllowance'),
  });
}

/** True when any of the user's groups is a Frontline group. */
export function inFrontlineGroups(
  policy: Pick<Policy, 'groupIds'>,
  userGroupIds: readonly string[],
): boolean {
  return userGroupIds.some((id) => policy.groupIds.includes(id));
}

/** The groups for messages: `00g1` or `00g1, 00g2`. */
export function describeGroups(policy: Pick<Policy, 'groupIds'>): string {
  return policy.groupIds.join(', ');
}
