import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { resolvePolicy, type AssignmentMode } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { createOktaClient } from '../../src/okta/client';
import { type OktaDirectory } from '../../src/okta/directory';
import { convergeUser, type ConvergenceOutcome } from '../../src/worker/converge';
import { observeSettingsOf } from '../../src/worker/observe';
import { adminCall } from '../app-guard/helpers';
import { useDemoDirectory } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

/*
 * Several Frontline groups ("Frontline – Sales", "Frontline – Service"): a member of any of them has Frontline,
 * leaving the last one takes it away. Group A is the demo org's Frontline group; group B is made for each test.
 */

let emulator: RunningEmulator;
let directory: OktaDirectory;
let client: ReturnType<typeof createOktaClient>;
let groupB: string;

const groupA = DEMO.groupId;
const joiner = DEMO.users.newHire;

let seq = 0;
function item(userId: string, eventType: string): WorkItem {
  seq += 1;
  return {
    kind: 'converge-user',
    userId,
    triggers: [{ eventUuid: `evt-${seq}-${eventType}`, eventType }],
    source: 'event-hook',
  };
}

/** The worker's convergence under a policy of both groups. */
function converge(mode: AssignmentMode, userId: string, eventType: string): Promise<ConvergenceOutcome> {
  const policy = resolvePolicy({
    groupIds: [groupA, groupB],
    pinnedUserNameTemplate: '${source.email}',
    assignmentMode: mode,
  });
  return convergeUser(item(userId, eventType), {
    userTypes: new InMemoryUserTypeMemory(),
    directory,
    settings: observeSettingsOf(DEMO.appId, policy),
  });
}

const join = (groupId: string, userId: string) => client.groupApi.assignUserToGroup({ groupId, userId });
const leave = (groupId: string, userId: string) => client.groupApi.unassignUserFromGroup({ groupId, userId });

const appUser = (userId: string) => emulator.state.listAppUsers(DEMO.appId).find((u) => u.id === userId);
const userType = (userId: string): unknown =>
  (emulator.state.getUser(userId)?.profile as Record<string, unknown> | undefined)?.userType;
const emailOf = (userId: string) =>
  (emulator.state.getUser(userId)?.profile as Record<string, unknown>).email as string;
/** The per-user assignment calls (`/api/v1/apps/{id}/users…`) the emulator saw. */
const perUserAssignmentCalls = () =>
  emulator.control
    .requestLog()
    .filter((e) => e.method !== 'GET' && e.path.startsWith(`/api/v1/apps/${DEMO.appId}/users`));

useDemoDirectory((org) => {
  ({ emulator, client, directory } = org);
});

beforeEach(async () => {
  await emulator.control.reset();
  const created = await adminCall(emulator, 'POST', '/api/v1/groups', {
    profile: { name: 'Frontline – Service' },
  });
  groupB = (created as { id: string }).id;
  expect(appUser(joiner)).toBeUndefined();
  expect(userType(joiner)).not.toBe('agent');
  emulator.control.clearRequestLog();
});

describe('Function: convergeUser with two Frontline groups, in user mode (against the Okta emulator)', () => {
  it.each([
    ['the first group', () => groupA],
    ['the second group', () => groupB],
  ])('onboards a user who joins through %s: userType agent, assigned', async (_, group) => {
    await join(group(), joiner);

    const outcome = await converge('user', joiner, 'group.user_membership.add');

    expect(outcome).toMatchObject({
      outcome: 'converged',
      desired: 'assigned',
      actions: [
        { type: 'set-user-type', result: 'applied' },
        { type: 'assign', result: 'applied' },
      ],
    });
    expect(userType(joiner)).toBe('agent');
    expect(appUser(joiner)).toEqual({ id: joiner, scope: 'USER', userName: emailOf(joiner) });
  });

  it('keeps the access of a member of both groups who leaves one of them', async () => {
    await join(groupA, joiner);
    await join(groupB, joiner);
    await converge('user', joiner, 'group.user_membership.add');
    await leave(groupA, joiner);
    emulator.control.clearRequestLog();

    const outcome = await converge('user', joiner, 'group.user_membership.remove');

    expect(outcome).toMatchObject({ outcome: 'no-change', desired: 'assigned', actions: [] });
    expect(appUser(joiner)).toMatchObject({ id: joiner, scope: 'USER' });
    expect(userType(joiner)).toBe('agent');
    expect(perUserAssignmentCalls()).toEqual([]);
  });

  it('takes the access away when the member has left both groups', async () => {
    await join(groupA, joiner);
    await join(groupB, joiner);
    await converge('user', joiner, 'group.user_membership.add');
    await leave(groupA, joiner);
    await converge('user', joiner, 'group.user_membership.remove');
    await leave(groupB, joiner);

    const outcome = await converge('user', joiner, 'group.user_membership.remove');

    expect(outcome).toMatchObject({
      outcome: 'converged',
      desired: 'unassigned',
      actions: [{ type: 'unassign', result: 'applied' }],
    });
    expect(appUser(joiner)).toBeUndefined();
  });
});

describe('Function: convergeUser with two Frontline groups, in group mode (against the Okta emulator)', () => {
  beforeEach(async () => {
    // Group mode's precondition, as setup and the reconcile make sure of it: each Frontline group holds the app.
    for (const groupId of [groupA, groupB]) {
      await adminCall(emulator, 'PUT', `/api/v1/apps/${DEMO.appId}/groups/${groupId}`, {});
    }
    emulator.control.clearRequestLog();
  });

  it('gives a member of the second group userType agent without a per-user assignment call', async () => {
    await join(groupB, joiner);
    emulator.control.clearRequestLog();

    const outcome = await converge('group', joiner, 'group.user_membership.add');

    expect(outcome).toMatchObject({ outcome: 'converged', desired: 'assigned', appsBucketCalls: 0 });
    expect(outcome.actions.map((a) => a.type)).toEqual(['set-user-type']);
    expect(userType(joiner)).toBe('agent');
    // Okta's assignment of group B gives the app.
    expect(appUser(joiner)?.scope).toBe('GROUP');
    expect(perUserAssignmentCalls()).toEqual([]);
  });
});
