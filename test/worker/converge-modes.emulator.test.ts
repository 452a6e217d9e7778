import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { resolvePolicy, type AssignmentMode, type SuspendedPolicy } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { createOktaClient } from '../../src/okta/client';
import { staticDirectoryProvider } from '../../src/okta/credentials';
import { createOktaDirectory, type OktaDirectory } from '../../src/okta/directory';
import { convergeUser, type ConvergenceOutcome } from '../../src/worker/converge';
import { createFrontlineStep } from '../../src/worker/frontline-step';
import { observeSettingsOf } from '../../src/worker/observe';
import { createWorker } from '../../src/worker/worker';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

/*
 * Issue 14's "Done when": both assignment modes pass the same convergence tests. Every `it` below runs once per
 * mode and asserts what means access (an app user Okta lists, `userType` agent, the Frontline user's state), not
 * which writes got there: user mode assigns itself, group mode lets Okta assign through the group.
 */

let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let client: ReturnType<typeof createOktaClient>;
let directory: OktaDirectory;
let identities: InMemoryIdentityStore;

const TEMPLATE = '${source.email}';
const joiner = DEMO.users.newHire;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

let seq = 0;
function item(userId: string, ...eventTypes: string[]): WorkItem {
  seq += 1;
  return {
    kind: 'converge-user',
    userId,
    triggers: eventTypes.map((eventType, i) => ({ eventUuid: `evt-${seq}-${i}`, eventType })),
    source: 'event-hook',
  };
}

/** The worker's Okta convergence alone. */
function converge(
  mode: AssignmentMode,
  userId: string,
  eventTypes: string[],
  suspendedPolicy: SuspendedPolicy = 'remove',
): Promise<ConvergenceOutcome> {
  return convergeUser(item(userId, ...eventTypes), {
    userTypes: new InMemoryUserTypeMemory(),
    directory,
    settings: observeSettingsOf(
      DEMO.appId,
      resolvePolicy({
        groupIds: [DEMO.groupId],
        pinnedUserNameTemplate: TEMPLATE,
        clearUserTypeOnRemoval: false,
        assignmentMode: mode,
        suspendedPolicy,
      }),
    ),
  });
}

/**
 * The whole worker, Frontline offboarding on (src/worker/frontline-step.ts), as `serve` and the Lambda run it.
 * `unpinned`: no FRONTLINE_USERNAME_TEMPLATE (the app's own template decides); `noCredentials`: the step is
 * configured but Twilio's credentials are not there yet (the AWS secret's placeholder).
 */
function workerFor(
  mode: AssignmentMode,
  suspendedPolicy: SuspendedPolicy,
  options: { unpinned?: boolean; noCredentials?: boolean } = {},
) {
  const users = createFetchFrontlineUsers({
    apiUrl: frontline.url,
    credentials: {
      kind: 'auth-token',
      accountSid: frontline.accountSid,
      authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
    },
  });
  const policy = resolvePolicy({
    groupIds: [DEMO.groupId],
    pinnedUserNameTemplate: options.unpinned ? undefined : TEMPLATE,
    assignmentMode: mode,
    suspendedPolicy,
  });
  return createWorker({
    userTypes: new InMemoryUserTypeMemory(),
    directory: staticDirectoryProvider(directory),
    settings: { appId: DEMO.appId, policy },
    logger: silent,
    frontline: createFrontlineStep({
      users: async () => (options.noCredentials ? undefined : users),
      identities,
      appId: DEMO.appId,
      policy,
    }),
  });
}

/** What the user can reach in Okta: the app user (with its scope), the app in appLinks, role and status. */
async function access(userId: string) {
  const appUser = okta.state.listAppUsers(DEMO.appId).find((u) => u.id === userId);
  const user = okta.state.getUser(userId);
  const links = await directory.listAppLinks(userId);
  return {
    appUser: appUser?.scope,
    linked: links.some((l) => l.appInstanceId === DEMO.appId),
    userType: (user?.profile as Record<string, unknown> | undefined)?.userType,
    status: user?.status,
  };
}
const hasApp = { appUser: expect.stringMatching(/^(USER|GROUP)$/), linked: true, userType: 'agent' };
const noApp = { appUser: undefined, linked: false };

const emailOf = (userId: string) =>
  (okta.state.getUser(userId)?.profile as Record<string, unknown>).email as string;
const appsBucketRequests = () => okta.control.requestLog().filter((e) => e.bucket === 'apps');

const join = (userId: string) => client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId });
const leave = (userId: string) => client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId });

/**
 * The apps-bucket budget of each mode, checked on the outcomes and on the emulator's own request log: group mode
 * makes no `/api/v1/apps*` call at all; user mode at most one per convergence.
 */
function expectAppsBucketBudget(mode: AssignmentMode, outcomes: ConvergenceOutcome[]): void {
  const reported = outcomes.map((o) => o.appsBucketCalls);
  if (mode === 'group') {
    expect(reported.every((n) => n === 0)).toBe(true);
    expect(appsBucketRequests()).toEqual([]);
  } else {
    expect(reported.every((n) => n <= 1)).toBe(true);
    expect(appsBucketRequests()).toHaveLength(reported.reduce((a, b) => a + b, 0));
  }
}

/** A worker outcome's count is every apps-bucket call the emulator saw for it, the Frontline step's included. */
function expectAppsBucketBudgetOfWorker(outcome: ConvergenceOutcome): void {
  expect(outcome.appsBucketCalls).toBe(appsBucketRequests().length);
}

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo' });
  frontline = await startFrontlineEmulator();
  client = createOktaClient({ orgUrl: okta.url, credentials: { kind: 'ssws', token: okta.token } });
  directory = createOktaDirectory(client);
});

afterAll(async () => {
  await okta.stop();
  await frontline.stop();
});

describe.each<AssignmentMode>(['user', 'group'])(
  'Function: convergeUser in %s mode (Okta emulator)',
  (mode) => {
    beforeEach(async () => {
      await okta.control.reset();
      frontline.control.reset();
      identities = new InMemoryIdentityStore();
      if (mode === 'group') {
        // Group mode's precondition, as setup and the reconcile make sure of it: the group itself holds the app.
        const res = await fetch(`${okta.url}/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {
          method: 'PUT',
          headers: { authorization: `SSWS ${okta.token}`, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(res.status).toBe(200);
      }
      expect(await access(joiner)).toMatchObject(noApp);
      okta.control.clearRequestLog();
    });

    /** A joiner, converged: the starting point of the offboarding cases. */
    async function onboarded(): Promise<ConvergenceOutcome> {
      await join(joiner);
      return converge(mode, joiner, ['group.user_membership.add']);
    }

    it('gives a joiner the app and userType agent', async () => {
      const outcome = await onboarded();

      expect(outcome).toMatchObject({ outcome: 'converged', desired: 'assigned' });
      expect(await access(joiner)).toMatchObject({ ...hasApp, status: 'ACTIVE' });
      expect(outcome.appsBucketCalls).toBe(mode === 'group' ? 0 : 1);
      expectAppsBucketBudget(mode, [outcome]);
    });

    it('takes the app from a leaver', async () => {
      const outcomes = [await onboarded()];
      await leave(joiner);

      outcomes.push(await converge(mode, joiner, ['group.user_membership.remove']));

      expect(outcomes[1]).toMatchObject({ desired: 'unassigned' });
      expect(await access(joiner)).toMatchObject(noApp);
      expectAppsBucketBudget(mode, outcomes);
    });

    it('leaves a deactivated member no access in Okta and ends their Frontline session', async () => {
      const outcomes = [await onboarded()];
      frontline.control.signIn(emailOf(joiner));
      await client.userApi.deactivateUser({ userId: joiner });

      outcomes.push(
        await workerFor(mode, 'remove').processWorkItem(item(joiner, 'user.lifecycle.deactivate')),
      );

      // Okta deprovisions a deactivated user from every app, the group's assignment included (help.okta.com,
      // "Deprovision a user"); group membership stays.
      expect(await access(joiner)).toMatchObject({ ...noApp, status: 'DEPROVISIONED' });
      expect(okta.state.listGroupMemberIds(DEMO.groupId)).toContain(joiner);
      expect(outcomes[1]).toMatchObject({ desired: 'unassigned', frontline: { result: 'deactivated' } });
      expect(frontline.control.getUser(emailOf(joiner))).toMatchObject({
        state: 'deactivated',
        activeSessions: 0,
      });
      expectAppsBucketBudget(mode, outcomes);
    });

    it('gives a reactivated member the app back', async () => {
      const outcomes = [await onboarded()];
      await client.userApi.deactivateUser({ userId: joiner });
      outcomes.push(await converge(mode, joiner, ['user.lifecycle.deactivate']));
      await client.userApi.activateUser({ userId: joiner, sendEmail: false });

      outcomes.push(await converge(mode, joiner, ['user.lifecycle.activate']));

      expect(outcomes[2]).toMatchObject({ desired: 'assigned' });
      expect(await access(joiner)).toMatchObject(hasApp);
      expectAppsBucketBudget(mode, outcomes);
    });

    it('ends a suspended member’s access under the remove policy: Okta status, the assignment where the mode can, Frontline', async () => {
      const outcomes = [await onboarded()];
      frontline.control.signIn(emailOf(joiner));
      await client.userApi.suspendUser({ userId: joiner });

      outcomes.push(await workerFor(mode, 'remove').processWorkItem(item(joiner, 'user.lifecycle.suspend')));

      // SUSPENDED blocks the Okta sign-in in both modes, and the worker deactivates the Frontline user.
      expect(outcomes[1]).toMatchObject({ desired: 'unassigned', frontline: { result: 'deactivated' } });
      expect(frontline.control.getUser(emailOf(joiner))).toMatchObject({
        state: 'deactivated',
        activeSessions: 0,
      });
      const after = await access(joiner);
      expect(after.status).toBe('SUSPENDED');
      if (mode === 'user') {
        expect(after).toMatchObject(noApp);
      } else {
        // Okta retains a suspended user's group and app assignments (Users API `suspendUser`), and a group-held
        // assignment can't be removed per user (E0000046): `remove` cannot unassign in group mode.
        expect(after).toMatchObject({ appUser: 'GROUP', linked: true });
      }
      expectAppsBucketBudget(mode, outcomes);
    });

    it('keeps a suspended member’s assignment and Frontline user under the keep policy, with no apps-bucket call', async () => {
      await onboarded();
      frontline.control.signIn(emailOf(joiner));
      await client.userApi.suspendUser({ userId: joiner });
      okta.control.clearRequestLog();

      const suspended = await workerFor(mode, 'keep').processWorkItem(item(joiner, 'user.lifecycle.suspend'));

      expect(suspended).toMatchObject({ desired: 'kept', actions: [], appsBucketCalls: 0 });
      expect(suspended.frontline).toBeUndefined();
      expect(frontline.control.getUser(emailOf(joiner))?.state).toBe('active');
      expect(await access(joiner)).toMatchObject({ ...hasApp, status: 'SUSPENDED' });
      expect(appsBucketRequests()).toEqual([]);
      expectAppsBucketBudget(mode, [suspended]);
    });

    it('gives an unsuspended member access again, in Okta and in Frontline', async () => {
      const outcomes: ConvergenceOutcome[] = [await onboarded()];
      frontline.control.signIn(emailOf(joiner));
      const w = workerFor(mode, 'remove');
      await client.userApi.suspendUser({ userId: joiner });
      outcomes.push(await w.processWorkItem(item(joiner, 'user.lifecycle.suspend')));
      await client.userApi.unsuspendUser({ userId: joiner });

      const back = await w.processWorkItem(item(joiner, 'user.lifecycle.unsuspend'));
      outcomes.push(back);

      expect(back).toMatchObject({ desired: 'assigned', frontline: { result: 'activated' } });
      expect(frontline.control.getUser(emailOf(joiner))?.state).toBe('active');
      expect(await access(joiner)).toMatchObject({ ...hasApp, status: 'ACTIVE' });
      expectAppsBucketBudget(mode, outcomes);
    });

    it('writes nothing when the same event is delivered twice', async () => {
      const first = await onboarded();
      okta.control.clearRequestLog();

      const again = await converge(mode, joiner, ['group.user_membership.add']);

      expect(first.outcome).toBe('converged');
      expect(again).toMatchObject({ outcome: 'no-change', actions: [], appsBucketCalls: 0 });
      expect(okta.control.requestLog().filter((e) => e.method !== 'GET')).toEqual([]);
      expect(await access(joiner)).toMatchObject(hasApp);
    });

    it('keeps the access of a member whose stale remove arrives after their later re-add', async () => {
      const outcomes = [await onboarded()];
      await leave(joiner);
      await join(joiner);

      // Delivered out of order: the re-add first, then the remove that happened before it.
      outcomes.push(await converge(mode, joiner, ['group.user_membership.add']));
      outcomes.push(await converge(mode, joiner, ['group.user_membership.remove']));

      expect(outcomes[2]).toMatchObject({ desired: 'assigned', actions: [] });
      expect(await access(joiner)).toMatchObject(hasApp);
      expectAppsBucketBudget(mode, outcomes);
    });

    it('leaves a leaver without access when a stale add arrives after their remove', async () => {
      const outcomes = [await onboarded()];
      await leave(joiner);

      outcomes.push(await converge(mode, joiner, ['group.user_membership.remove']));
      outcomes.push(await converge(mode, joiner, ['group.user_membership.add']));

      expect(outcomes[2]).toMatchObject({ desired: 'unassigned', actions: [] });
      expect(await access(joiner)).toMatchObject(noApp);
      expectAppsBucketBudget(mode, outcomes);
    });

    it('follows the current membership when one item carries an add and a remove in either order', async () => {
      await join(joiner);
      const inGroup = await converge(mode, joiner, [
        'group.user_membership.remove',
        'group.user_membership.add',
      ]);
      expect(await access(joiner)).toMatchObject(hasApp);
      await leave(joiner);

      const left = await converge(mode, joiner, [
        'group.user_membership.add',
        'group.user_membership.remove',
      ]);

      expect(inGroup).toMatchObject({ desired: 'assigned' });
      expect(left).toMatchObject({ desired: 'unassigned' });
      expect(await access(joiner)).toMatchObject(noApp);
      expectAppsBucketBudget(mode, [inGroup, left]);
    });

    it('knows a joiner’s identity without reading the assignment, when no template is pinned', async () => {
      await join(joiner);
      const w = workerFor(mode, 'remove', { unpinned: true });
      const reads = () =>
        appsBucketRequests().filter(
          (e) => e.method === 'GET' && e.path === `/api/v1/apps/${DEMO.appId}/users/${joiner}`,
        );

      const first = await w.processWorkItem(item(joiner, 'group.user_membership.add'));

      expect(first).toMatchObject({ desired: 'assigned', frontline: { identity: emailOf(joiner) } });
      expect(reads()).toEqual([]);
      expectAppsBucketBudgetOfWorker(first);
      // User mode takes the username from its own assignment's answer and records it; group mode renders the app's
      // template (no apps-bucket call) and leaves the recording to the reconcile's listing of Okta's real value.
      expect(first.appsBucketCalls).toBe(mode === 'group' ? 0 : 1);
      expect((await identities.get(joiner))?.identity).toBe(mode === 'group' ? undefined : emailOf(joiner));
    });

    it('reads no app username and records no identity while Frontline has no credentials', async () => {
      const w = workerFor(mode, 'remove', { unpinned: true, noCredentials: true });
      await join(joiner);
      const outcomes = [await w.processWorkItem(item(joiner, 'group.user_membership.add'))];
      await leave(joiner);

      outcomes.push(await w.processWorkItem(item(joiner, 'group.user_membership.remove')));

      expect(outcomes.map((o) => o.frontline)).toEqual([undefined, undefined]);
      expect(await access(joiner)).toMatchObject(noApp);
      expect(await identities.get(joiner)).toBeUndefined();
      expect(appsBucketRequests().filter((e) => e.method === 'GET')).toEqual([]);
      expectAppsBucketBudget(mode, outcomes);
    });

    // User mode reads the identity just before its own unassign; in group mode Okta has already removed the
    // assignment when the leave arrives, and the app's template gives it.
    it('ends the Frontline session of a leaver onboarded before offboarding was on, with no template pinned', async () => {
      await join(joiner);
      await converge(mode, joiner, ['group.user_membership.add']);
      const userName = okta.state.listAppUsers(DEMO.appId).find((u) => u.id === joiner)?.userName as string;
      frontline.control.signIn(userName);
      await leave(joiner);

      const left = await workerFor(mode, 'remove', { unpinned: true }).processWorkItem(
        item(joiner, 'group.user_membership.remove'),
      );

      expect(await access(joiner)).toMatchObject(noApp);
      expect(left.frontline).toMatchObject({ identity: userName, result: 'deactivated' });
      expect(frontline.control.getUser(userName)?.state).toBe('deactivated');
    });
  },
);
