import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { resolvePolicy } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { FrontlinePermanentError, FrontlineTransientError } from '../../src/twilio/errors';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { createOktaClient } from '../../src/okta/client';
import { staticDirectoryProvider } from '../../src/okta/credentials';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import { createOktaDirectory } from '../../src/okta/directory';
import { createFrontlineStep } from '../../src/worker/frontline-step';
import { createWorker, type Worker, type WorkerLogger } from '../../src/worker/worker';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let client: ReturnType<typeof createOktaClient>;
let identities: InMemoryIdentityStore;
let logs: { level: string; message: string; extra: Record<string, unknown> }[];

const recorder: WorkerLogger = {
  info: (message, extra) => logs.push({ level: 'info', message, extra }),
  warn: (message, extra) => logs.push({ level: 'warn', message, extra }),
  error: (message, extra) => logs.push({ level: 'error', message, extra }),
};

const pinned = resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${source.email}' });
const unpinned = resolvePolicy({ groupIds: [DEMO.groupId] });

function worker(
  options: { frontline: boolean; authToken?: string; unpinned?: boolean } = { frontline: true },
): Worker {
  const users = createFetchFrontlineUsers({
    apiUrl: frontline.url,
    credentials: {
      kind: 'auth-token',
      accountSid: frontline.accountSid,
      authToken: options.authToken ?? DEFAULT_FRONTLINE_AUTH_TOKEN,
    },
  });
  const policy = options.unpinned ? unpinned : pinned;
  return createWorker({
    userTypes: new InMemoryUserTypeMemory(),
    directory: staticDirectoryProvider(createOktaDirectory(client)),
    settings: { appId: DEMO.appId, policy },
    logger: recorder,
    ...(options.frontline
      ? {
          frontline: createFrontlineStep({
            users: async () => users,
            identities,
            appId: DEMO.appId,
            policy,
          }),
        }
      : {}),
  });
}

const item = (userId: string, ...eventTypes: string[]): WorkItem => ({
  kind: 'converge-user',
  userId,
  triggers: eventTypes.map((eventType, i) => ({ eventUuid: `evt-${i}`, eventType })),
  source: 'event-hook',
});

const emailOf = (userId: string) =>
  (okta.state.getUser(userId)?.profile as Record<string, unknown>).email as string;
const posts = () => frontline.control.requestLog().filter((e) => e.method === 'POST');

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo' });
  frontline = await startFrontlineEmulator();
  client = createOktaClient({ orgUrl: okta.url, credentials: { kind: 'ssws', token: okta.token } });
});

afterAll(async () => {
  await okta.stop();
  await frontline.stop();
});

beforeEach(async () => {
  await okta.control.reset();
  frontline.control.reset();
  identities = new InMemoryIdentityStore();
  logs = [];
});

describe('Function: createFrontlineStep (worker against the Okta and Frontline emulators)', () => {
  it('records the username Okta gave the assignment as the identity when no template is pinned', async () => {
    const app = await getAppRaw(client, DEMO.appId);
    await replaceAppRaw(client, DEMO.appId, {
      ...app,
      credentials: {
        ...(app.credentials as Record<string, unknown>),
        userNameTemplate: { template: '${fn:substringBefore(source.login, "@")}', type: 'BUILT_IN' },
      },
    });
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });

    const outcome = await worker({ frontline: true, unpinned: true }).processWorkItem(
      item(DEMO.users.newHire, 'group.user_membership.add'),
    );

    const login = (okta.state.getUser(DEMO.users.newHire)?.profile as Record<string, string>).login as string;
    const shortName = login.split('@')[0];
    expect(okta.state.listAppUsers(DEMO.appId).find((u) => u.id === DEMO.users.newHire)?.userName).toBe(
      shortName,
    );
    expect(outcome.frontline?.identity).toBe(shortName);
    expect((await identities.get(DEMO.users.newHire))?.identity).toBe(shortName);
  });

  it('reads an unrecorded leaver’s identity from the assignment before removing it when no template is pinned', async () => {
    const userName = okta.state.listAppUsers(DEMO.appId).find((u) => u.id === DEMO.users.leaver)?.userName;
    expect(userName).toBeDefined();
    expect(await identities.get(DEMO.users.leaver)).toBeUndefined();
    frontline.control.signIn(userName as string);
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });

    const outcome = await worker({ frontline: true, unpinned: true }).processWorkItem(
      item(DEMO.users.leaver, 'group.user_membership.remove'),
    );

    expect(outcome.frontline).toMatchObject({ identity: userName, result: 'deactivated' });
    expect(frontline.control.getUser(userName as string)).toMatchObject({
      state: 'deactivated',
      activeSessions: 0,
    });
  });

  it('deactivates the Frontline user of a member who left the group, ending their sessions', async () => {
    frontline.control.signIn(emailOf(DEMO.users.leaver));
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });

    const outcome = await worker().processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove'));

    expect(outcome.desired).toBe('unassigned');
    expect(outcome.frontline).toEqual({
      identity: emailOf(DEMO.users.leaver),
      result: 'deactivated',
      actions: ['deactivate'],
      source: 'pinned-template',
      appsBucketCalls: 0,
    });
    expect(frontline.control.getUser(emailOf(DEMO.users.leaver))).toMatchObject({
      state: 'deactivated',
      activeSessions: 0,
    });
    expect(posts().map((p) => p.params)).toEqual([{ State: 'deactivated' }]);
    expect(logs[0]?.extra.frontline).toEqual({
      result: 'deactivated',
      actions: ['deactivate'],
      source: 'pinned-template',
    });
  });

  it('also deactivates the Frontline users of a leaver’s earlier identities, where a session may live', async () => {
    const email = emailOf(DEMO.users.leaver);
    // Recorded under another username before (a renamed assignment), then under the current one.
    await identities.record(DEMO.users.leaver, 'lee.before-rename');
    await identities.record(DEMO.users.leaver, email);
    frontline.control.signIn('lee.before-rename');
    frontline.control.signIn(email);
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });

    const outcome = await worker().processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove'));

    expect(outcome.frontline).toMatchObject({
      identity: email,
      result: 'deactivated',
      previous: [{ identity: 'lee.before-rename', result: 'deactivated' }],
    });
    expect(frontline.control.getUser('lee.before-rename')).toMatchObject({
      state: 'deactivated',
      activeSessions: 0,
    });
    expect(frontline.control.getUser(email)?.state).toBe('deactivated');
  });

  it('never records an identity the record already knows, so a pinned rendering does not undo the listing’s', async () => {
    await identities.record(DEMO.users.agent, emailOf(DEMO.users.agent)); // rendered by the pinned template
    await identities.record(DEMO.users.agent, 'alex'); // the assignment's own username, from the listing
    frontline.control.signIn('alex');

    await worker().processWorkItem(item(DEMO.users.agent, 'group.user_membership.add'));

    expect(await identities.get(DEMO.users.agent)).toMatchObject({
      identity: 'alex',
      previous: [emailOf(DEMO.users.agent)],
    });
  });

  it('deactivates on Okta deactivation and on suspension (the default policy removes access)', async () => {
    frontline.control.signIn(emailOf(DEMO.users.lockedOut));
    frontline.control.signIn(emailOf(DEMO.users.suspended));
    await client.userApi.deactivateUser({ userId: DEMO.users.lockedOut });
    const w = worker();

    const deactivated = await w.processWorkItem(item(DEMO.users.lockedOut, 'user.lifecycle.deactivate'));
    const suspended = await w.processWorkItem(item(DEMO.users.suspended, 'user.lifecycle.suspend'));

    expect(deactivated.frontline?.result).toBe('deactivated');
    expect(suspended.frontline?.result).toBe('deactivated');
    expect(frontline.control.getUser(emailOf(DEMO.users.lockedOut))?.state).toBe('deactivated');
    expect(frontline.control.getUser(emailOf(DEMO.users.suspended))?.state).toBe('deactivated');
  });

  it('records the identity at onboarding and uses the record once the Okta user is deleted', async () => {
    const w = worker();
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    const onboarded = await w.processWorkItem(item(DEMO.users.newHire, 'group.user_membership.add'));
    const email = emailOf(DEMO.users.newHire);
    expect(onboarded.frontline).toMatchObject({ identity: email, result: 'not-signed-in' });
    expect((await identities.get(DEMO.users.newHire))?.identity).toBe(email);

    frontline.control.signIn(email);
    await client.userApi.deactivateUser({ userId: DEMO.users.newHire });
    await client.userApi.deleteUser({ userId: DEMO.users.newHire });
    const deleted = await w.processWorkItem(item(DEMO.users.newHire, 'user.lifecycle.delete.initiated'));

    expect(deleted.skipCode).toBe('user-not-found');
    expect(deleted.frontline).toEqual({
      identity: email,
      result: 'deactivated',
      actions: ['deactivate'],
      source: 'recorded',
      appsBucketCalls: 0,
    });
    expect(frontline.control.getUser(email)?.state).toBe('deactivated');
  });

  it('records a deleted user it never onboarded as having no identity, and calls Twilio for nothing', async () => {
    await client.userApi.deactivateUser({ userId: DEMO.users.newHire });
    await client.userApi.deleteUser({ userId: DEMO.users.newHire });

    const outcome = await worker().processWorkItem(
      item(DEMO.users.newHire, 'user.lifecycle.delete.initiated'),
    );

    // The System Log holds no app username of theirs, and the app's template (email) can't be rendered from a login.
    expect(outcome.frontline).toEqual({
      identity: undefined,
      result: 'no-identity',
      actions: [],
      appsBucketCalls: 0,
      systemLogCalls: 1,
    });
    expect(frontline.control.requestLog()).toEqual([]);
  });

  it('answers a leaver who never signed in to Frontline as not-signed-in, not as an error', async () => {
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });

    const outcome = await worker().processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove'));

    expect(outcome.outcome).toBe('converged');
    // Nothing on record and Frontline has no candidate: the agent's System Log trail was asked too (one call).
    expect(outcome.frontline).toEqual({
      identity: emailOf(DEMO.users.leaver),
      result: 'not-signed-in',
      actions: [],
      source: 'pinned-template',
      appsBucketCalls: 0,
      systemLogCalls: 1,
    });
    expect(posts()).toEqual([]);
  });

  it('reactivates a returning member and sets the friendly name from the Okta profile', async () => {
    const email = emailOf(DEMO.users.agent);
    frontline.control.signIn(email, { friendlyName: 'old name' });
    await client.userApi.suspendUser({ userId: DEMO.users.agent });
    await worker().processWorkItem(item(DEMO.users.agent, 'user.lifecycle.suspend'));
    expect(frontline.control.getUser(email)?.state).toBe('deactivated');

    await client.userApi.unsuspendUser({ userId: DEMO.users.agent });
    const back = await worker().processWorkItem(item(DEMO.users.agent, 'user.lifecycle.unsuspend'));

    expect(back.frontline).toEqual({
      identity: email,
      result: 'activated',
      actions: ['activate', 'set-friendly-name'],
      source: 'pinned-template',
      appsBucketCalls: 0,
    });
    expect(frontline.control.getUser(email)).toMatchObject({ state: 'active', friendlyName: 'Alex Agent' });
  });

  it('leaves Frontline alone for a member who stays entitled and already matches', async () => {
    frontline.control.signIn(emailOf(DEMO.users.agent), { friendlyName: 'Alex Agent' });
    const outcome = await worker().processWorkItem(item(DEMO.users.agent, 'user.account.update_profile'));
    expect(outcome.frontline?.result).toBe('in-sync');
    expect(posts()).toEqual([]);
  });

  it('calls Twilio for nothing and records nothing when Frontline offboarding is off', async () => {
    frontline.control.signIn(emailOf(DEMO.users.leaver));
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });

    const outcome = await worker({ frontline: false }).processWorkItem(
      item(DEMO.users.leaver, 'group.user_membership.remove'),
    );

    expect(outcome.outcome).toBe('converged');
    expect(outcome).not.toHaveProperty('frontline');
    expect(logs[0]?.extra).not.toHaveProperty('frontline');
    expect(frontline.control.requestLog()).toEqual([]);
    expect(frontline.control.getUser(emailOf(DEMO.users.leaver))?.state).toBe('active');
    expect(await identities.listAll()).toEqual([]);
  });

  it.each([429, 503] as const)(
    'throws a retryable error on Twilio %i and deactivates on the retry',
    async (status) => {
      const email = emailOf(DEMO.users.leaver);
      frontline.control.signIn(email);
      await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });
      frontline.control.injectFault({ status, method: 'POST' });
      const w = worker();

      const failed = await w
        .processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove'))
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(FrontlineTransientError);
      expect(logs[0]).toMatchObject({ level: 'warn', extra: { outcome: 'retry' } });

      // The retry finds Okta already converged (the unassign answers "already gone") and finishes Frontline.
      const again = await w.processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove'));
      expect(again.actions.every((a) => a.result === 'already-unassigned')).toBe(true);
      expect(again.frontline?.result).toBe('deactivated');
      expect(frontline.control.getUser(email)?.state).toBe('deactivated');
    },
  );

  it('fails loudly on a rejected Twilio credential and never logs the auth token', async () => {
    frontline.control.signIn(emailOf(DEMO.users.leaver));
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.leaver });
    const badToken = 'wrong-token-0123456789abcdef';

    const failed = await worker({ frontline: true, authToken: badToken })
      .processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove'))
      .catch((e: unknown) => e);

    expect(failed).toBeInstanceOf(FrontlinePermanentError);
    expect((failed as FrontlinePermanentError).kind).toBe('auth');
    expect(logs).toEqual([
      expect.objectContaining({ level: 'error', extra: expect.objectContaining({ outcome: 'failed' }) }),
    ]);
    const text = JSON.stringify(logs) + String((failed as Error).message);
    expect(text).not.toContain(badToken);
    expect(text).not.toContain(Buffer.from(`${frontline.accountSid}:${badToken}`).toString('base64'));
  });
});
