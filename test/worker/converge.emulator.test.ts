import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { type OktaDirectory } from '../../src/okta/directory';
import { OktaTransientError } from '../../src/okta/errors';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import { convergeUser, type ConvergeSettings } from '../../src/worker/converge';
import { RetryLaterError } from '../../src/worker/errors';
import type { WorkItem } from '../../src/domain/work-item';
import { resolvePolicy, type PolicyInput } from '../../src/domain/policy';
import { observeSettingsOf } from '../../src/worker/observe';
import { useDemoDirectory } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

let emulator: RunningEmulator;
let directory: OktaDirectory;
let client: ReturnType<typeof createOktaClient>;

/** The convergence's settings for a policy over the demo group, with the email pinned as username. */
function settingsWith(policy: Partial<PolicyInput> = {}): ConvergeSettings {
  return observeSettingsOf(
    DEMO.appId,
    resolvePolicy({
      groupIds: [DEMO.groupId],
      pinnedUserNameTemplate: '${source.email}',
      clearUserTypeOnRemoval: false,
      ...policy,
    }),
  );
}

const settings: ConvergeSettings = settingsWith();

function item(userId: string, ...eventTypes: string[]): WorkItem {
  return {
    kind: 'converge-user',
    userId,
    triggers: eventTypes.map((eventType, i) => ({ eventUuid: `evt-${i}-${eventType}`, eventType })),
    source: 'event-hook',
  };
}

/** Okta calls the convergence made, from the emulator's own log. */
function calls() {
  return emulator.control.requestLog().map((e) => ({ method: e.method, path: e.path, bucket: e.bucket }));
}
const appsBucket = () => calls().filter((c) => c.bucket === 'apps');
const writes = () => calls().filter((c) => c.method !== 'GET');

function assignment(userId: string) {
  return emulator.state.listAppUsers(DEMO.appId).find((u) => u.id === userId);
}
function userType(userId: string): unknown {
  return (emulator.state.getUser(userId)?.profile as Record<string, unknown> | undefined)?.userType;
}

useDemoDirectory((org) => {
  ({ emulator, client, directory } = org);
});

beforeEach(async () => {
  await emulator.control.reset();
});

describe('Function: convergeUser (against the Okta emulator)', () => {
  it('assigns with the username the app’s own template gives when no template is pinned', async () => {
    const app = await getAppRaw(client, DEMO.appId);
    const credentials = app.credentials as Record<string, unknown>;
    await replaceAppRaw(client, DEMO.appId, {
      ...app,
      credentials: {
        ...credentials,
        userNameTemplate: { template: '${fn:substringBefore(source.login, "@")}', type: 'BUILT_IN' },
      },
    });
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });

    const outcome = await convergeUser(item(DEMO.users.newHire, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings: settingsWith({ pinnedUserNameTemplate: undefined }),
    });

    expect(outcome).toMatchObject({ outcome: 'converged' });
    const login = (emulator.state.getUser(DEMO.users.newHire)?.profile as { login: string }).login;
    // The admin's template, not our default (email): the SAML NameID, so the Frontline identity, is theirs.
    expect(assignment(DEMO.users.newHire)?.userName).toBe(login.split('@')[0]);
  });

  it('onboards a new group member: sets userType agent and assigns with the email as username', async () => {
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    emulator.control.clearRequestLog();

    const outcome = await convergeUser(item(DEMO.users.newHire, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({
      userId: DEMO.users.newHire,
      outcome: 'converged',
      actions: [
        { type: 'set-user-type', result: 'applied' },
        { type: 'assign', result: 'applied' },
      ],
      appsBucketCalls: 1,
      triggers: ['evt-0-group.user_membership.add'],
    });
    expect(userType(DEMO.users.newHire)).toBe('agent');
    const email = (emulator.state.getUser(DEMO.users.newHire)?.profile as Record<string, unknown>).email;
    expect(assignment(DEMO.users.newHire)).toEqual({
      id: DEMO.users.newHire,
      scope: 'USER',
      userName: email,
    });
    expect(appsBucket()).toEqual([
      { method: 'POST', path: `/api/v1/apps/${DEMO.appId}/users`, bucket: 'apps' },
    ]);
    expect(writes().filter((c) => c.method === 'PUT')).toEqual([]);
  });

  it('keeps custom profile attributes when it writes userType (partial POST, never PUT)', async () => {
    const before = emulator.state.getUser(DEMO.users.wrongType)?.profile as Record<string, unknown>;

    await convergeUser(item(DEMO.users.wrongType, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    const after = emulator.state.getUser(DEMO.users.wrongType)?.profile as Record<string, unknown>;
    expect(after).toEqual({ ...before, userType: 'agent' });
    expect(calls().some((c) => c.method === 'PUT')).toBe(false);
  });

  it('makes no write and no apps-bucket call for a user who is already converged', async () => {
    const outcome = await convergeUser(item(DEMO.users.agent, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ outcome: 'no-change', actions: [], appsBucketCalls: 0 });
    expect(writes()).toEqual([]);
    expect(appsBucket()).toEqual([]);
    expect(calls().length).toBe(3);
  });

  it('offboards a user removed from the group: unassigns and keeps userType', async () => {
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });
    emulator.control.clearRequestLog();

    const outcome = await convergeUser(item(DEMO.users.leaver, 'group.user_membership.remove'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({
      outcome: 'converged',
      actions: [{ type: 'unassign', result: 'applied' }],
    });
    expect(assignment(DEMO.users.leaver)).toBeUndefined();
    expect(userType(DEMO.users.leaver)).toBe('agent');
    expect(appsBucket()).toHaveLength(1);
  });

  it('clears userType after unassigning when configured to', async () => {
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });

    const outcome = await convergeUser(item(DEMO.users.leaver, 'group.user_membership.remove'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings: settingsWith({ clearUserTypeOnRemoval: true }),
    });

    expect(outcome.actions.map((a) => a.type)).toEqual(['unassign', 'clear-user-type']);
    expect(userType(DEMO.users.leaver) ?? null).toBeNull();
  });

  it('keeps a suspended member assigned under the keep policy, with no apps-bucket call', async () => {
    emulator.control.clearRequestLog();
    const outcome = await convergeUser(item(DEMO.users.suspended, 'user.lifecycle.suspend'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings: settingsWith({ suspendedPolicy: 'keep' }),
    });

    expect(outcome).toMatchObject({ outcome: 'no-change', actions: [] });
    expect(assignment(DEMO.users.suspended)).toBeDefined();
    expect(appsBucket()).toEqual([]);
  });

  it('unassigns a suspended member under the default policy (remove)', async () => {
    const outcome = await convergeUser(item(DEMO.users.suspended, 'user.lifecycle.suspend'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ outcome: 'converged', actions: [{ type: 'unassign' }] });
    expect(assignment(DEMO.users.suspended)).toBeUndefined();
  });

  it('skips the userType clear Okta refuses for a deactivated user (403 E0000038): the unassign still counts', async () => {
    await client.userApi.deactivateUser({ userId: DEMO.users.lockedOut });

    const outcome = await convergeUser(item(DEMO.users.lockedOut, 'user.lifecycle.deactivate'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings: settingsWith({ clearUserTypeOnRemoval: true }),
    });

    expect(outcome.outcome).toBe('converged');
    expect(outcome.actions.map((a) => a.type)).toEqual(['unassign']);
    expect(outcome.skippedWrites).toEqual([
      { type: 'clear-user-type', code: 'deactivated-profile', reason: expect.stringContaining('E0000038') },
    ]);
    expect(userType(DEMO.users.lockedOut)).toBe('agent');
  });

  it('asks to read again shortly, deciding nothing, while a deactivation is still running', async () => {
    emulator.control.setOrgSettings({ asyncLifecycleMs: 60_000 });
    await client.userApi.deactivateUser({ userId: DEMO.users.agent });
    emulator.control.clearRequestLog();

    const started = Date.now();
    const error = await convergeUser(item(DEMO.users.agent, 'user.lifecycle.deactivate'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).message).toContain('transitioning to DEPROVISIONED');
    expect((error as RetryLaterError).retryAt).toBeGreaterThanOrEqual(started + 5_000);
    expect(writes()).toEqual([]);
    expect(assignment(DEMO.users.agent)).toBeDefined();
  });

  it('unassigns a deactivated member with at most one apps-bucket call', async () => {
    await client.userApi.deactivateUser({ userId: DEMO.users.lockedOut });
    emulator.control.clearRequestLog();

    const outcome = await convergeUser(item(DEMO.users.lockedOut, 'user.lifecycle.deactivate'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome.outcome).toBe('converged');
    expect(outcome.actions.map((a) => a.type)).toEqual(['unassign']);
    expect(assignment(DEMO.users.lockedOut)).toBeUndefined();
    expect(appsBucket().length).toBeLessThanOrEqual(1);
  });

  it('treats "not assigned" (404 E0000007) on a removal trigger as success', async () => {
    const outcome = await convergeUser(item(DEMO.users.deprovisioned, 'user.lifecycle.deactivate'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({
      outcome: 'converged',
      actions: [{ type: 'unassign', result: 'already-unassigned' }],
    });
  });

  it('makes no apps-bucket call for a non-member whose event calls for no assignment change', async () => {
    const outcome = await convergeUser(item(DEMO.users.newHire, 'user.lifecycle.activate'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ outcome: 'no-change', appsBucketCalls: 0 });
    expect(appsBucket()).toEqual([]);
  });

  it('skips a user whose profile is mastered elsewhere, without assigning a role-less user', async () => {
    const outcome = await convergeUser(item(DEMO.users.mastered, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ outcome: 'skipped', skipCode: 'mastered-elsewhere', actions: [] });
    expect(outcome.reason).toContain('E0000023');
    expect(appsBucket()).toEqual([]);
  });

  it('skips a user Okta no longer has', async () => {
    const outcome = await convergeUser(item('00unosuchuser0000000', 'user.lifecycle.delete.initiated'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ outcome: 'skipped', skipCode: 'user-not-found', actions: [] });
    expect(calls()).toHaveLength(1);
  });

  it('waits for activation for a STAGED member', async () => {
    const outcome = await convergeUser(item(DEMO.users.staged, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings,
    });

    expect(outcome).toMatchObject({ outcome: 'skipped', skipCode: 'staged-awaiting-activation' });
    expect(writes()).toEqual([]);
  });

  it('throws RetryLaterError with the bucket reset time when the apps bucket answers 429', async () => {
    emulator.control.setRateLimits({ limits: { apps: 0 } });
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    const before = Date.now();

    try {
      const error = await convergeUser(item(DEMO.users.newHire, 'group.user_membership.add'), {
        userTypes: new InMemoryUserTypeMemory(),
        directory,
        settings,
      }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RetryLaterError);
      const retryAt = (error as RetryLaterError).retryAt;
      expect(retryAt).toBeGreaterThan(before);
      expect(retryAt).toBeLessThanOrEqual(Date.now() + 62_000);
      // The profile write went through before the 429; the retry will find it done and only assign.
      expect(userType(DEMO.users.newHire)).toBe('agent');
    } finally {
      emulator.control.setRateLimits({ limits: { apps: 100 } });
    }
  });

  it('rethrows a 5xx as a transient error for the queue to retry', async () => {
    emulator.control.setFaults({ readErrorRate: 1 });
    try {
      await expect(
        convergeUser(item(DEMO.users.agent, 'group.user_membership.add'), {
          userTypes: new InMemoryUserTypeMemory(),
          directory,
          settings,
        }),
      ).rejects.toBeInstanceOf(OktaTransientError);
    } finally {
      emulator.control.setFaults({ readErrorRate: 0 });
    }
  });

  it('derives the username from the configured template', async () => {
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });

    await convergeUser(item(DEMO.users.newHire, 'group.user_membership.add'), {
      userTypes: new InMemoryUserTypeMemory(),
      directory,
      settings: settingsWith({ pinnedUserNameTemplate: '${source.login}' }),
    });

    const login = (emulator.state.getUser(DEMO.users.newHire)?.profile as Record<string, unknown>).login;
    expect(assignment(DEMO.users.newHire)?.userName).toBe(login);
  });
});
