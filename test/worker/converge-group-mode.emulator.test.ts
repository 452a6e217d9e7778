import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { type OktaDirectory } from '../../src/okta/directory';
import { convergeUser, type ConvergeSettings } from '../../src/worker/converge';
import { resolvePolicy } from '../../src/domain/policy';
import { observeSettingsOf } from '../../src/worker/observe';
import type { WorkItem } from '../../src/domain/work-item';
import { adminCall } from '../app-guard/helpers';
import { useDemoDirectory } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

let emulator: RunningEmulator;
let directory: OktaDirectory;
let client: ReturnType<typeof createOktaClient>;

const settings: ConvergeSettings = observeSettingsOf(
  DEMO.appId,
  resolvePolicy({
    groupIds: [DEMO.groupId],
    pinnedUserNameTemplate: '${source.email}',
    clearUserTypeOnRemoval: false,
    assignmentMode: 'group',
  }),
);

function item(userId: string, eventType: string): WorkItem {
  return {
    kind: 'converge-user',
    userId,
    triggers: [{ eventUuid: `evt-${eventType}`, eventType }],
    source: 'event-hook',
  };
}

const appsBucketCalls = () => emulator.control.requestLog().filter((e) => e.bucket === 'apps');
/** A raw call to the emulator, for the setup steps the code under test does not make. */
const okta = async (method: string, path: string, body: unknown): Promise<void> => {
  await adminCall(emulator, method, path, body);
};

const appUser = (userId: string) => emulator.state.listAppUsers(DEMO.appId).find((u) => u.id === userId);
const userType = (userId: string): unknown =>
  (emulator.state.getUser(userId)?.profile as Record<string, unknown> | undefined)?.userType;

useDemoDirectory((org) => {
  ({ emulator, client, directory } = org);
});

beforeEach(async () => {
  await emulator.control.reset();
  // Group mode's precondition (setup and the reconcile make sure of it): the group itself is assigned to the app.
  await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {});
});

describe('Function: convergeUser in group mode (against the Okta emulator)', () => {
  it('gives a joiner userType while Okta’s group assignment gives the app, with no apps-bucket call', async () => {
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    emulator.control.clearRequestLog();

    const outcome = await convergeUser(item(DEMO.users.newHire, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ outcome: 'converged', appsBucketCalls: 0 });
    expect(outcome.actions.map((a) => a.type)).toEqual(['set-user-type']);
    expect(userType(DEMO.users.newHire)).toBe('agent');
    expect(appUser(DEMO.users.newHire)?.scope).toBe('GROUP');
    expect(appsBucketCalls()).toEqual([]);
    // A member's decision rests on the membership: the appLinks read (a call in the bucket that measured as group
    // mode's bottleneck) is not made.
    expect(emulator.control.requestLog().filter((e) => e.path.endsWith('/appLinks'))).toEqual([]);
  });

  it('lets a leaver lose the app through Okta, making no apps-bucket call itself', async () => {
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await convergeUser(item(DEMO.users.newHire, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    expect(appUser(DEMO.users.newHire)).toBeUndefined();
    emulator.control.clearRequestLog();

    const outcome = await convergeUser(item(DEMO.users.newHire, 'group.user_membership.remove'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ appsBucketCalls: 0, desired: 'unassigned' });
    expect(outcome.actions).toEqual([]);
    expect(appsBucketCalls()).toEqual([]);
  });

  it('unassigns a leaver whose individual assignment outlived the membership (the scope trap), with one apps-bucket call', async () => {
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await okta('POST', `/api/v1/apps/${DEMO.appId}/users`, { id: DEMO.users.newHire, scope: 'USER' });
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    expect(appUser(DEMO.users.newHire)?.scope).toBe('USER');
    emulator.control.clearRequestLog();

    const outcome = await convergeUser(item(DEMO.users.newHire, 'group.user_membership.remove'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ desired: 'unassigned', appsBucketCalls: 1 });
    expect(outcome.actions.map((a) => a.type)).toEqual(['unassign']);
    expect(appUser(DEMO.users.newHire)).toBeUndefined();
  });

  it('skips, without retrying, a leaver another assigned group still grants the app (Okta refuses per user)', async () => {
    const other = (await adminCall(emulator, 'POST', '/api/v1/groups', {
      profile: { name: 'Frontline pilot' },
    })) as { id: string };
    await client.groupApi.assignUserToGroup({ groupId: other.id, userId: DEMO.users.newHire });
    await okta('PUT', `/api/v1/apps/${DEMO.appId}/groups/${other.id}`, {});
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    expect(appUser(DEMO.users.newHire)?.scope).toBe('GROUP');

    const outcome = await convergeUser(item(DEMO.users.newHire, 'group.user_membership.remove'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    // The worker cannot see the scope (appLinks carry none), tries once and reports Okta's E0000046.
    expect(outcome).toMatchObject({ outcome: 'skipped', skipCode: 'group-scoped-assignment' });
    expect(appUser(DEMO.users.newHire)?.scope).toBe('GROUP');
  });
});
