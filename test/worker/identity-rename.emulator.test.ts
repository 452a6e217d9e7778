import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { startFrontlineEmulator, type RunningFrontlineEmulator } from '../../emulator/frontline';
import { resolvePolicy } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { createOktaClient } from '../../src/okta/client';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import type { Worker } from '../../src/worker/worker';
import { frontlineWorker, pasteConsoleValues, signInThroughOkta } from './frontline-sign-in';

/*
 * Renames followed: Okta re-derives an app username when its template's source attribute changes (a Custom format
 * set to "Create and update"), and "Update Now" rewrites every one. The worker takes `user.account.update_profile`
 * and `application.user_membership.change_username` as hints: it reads the assignment again when the username may
 * differ from the record, records the new one and keeps the old in the history offboarding walks.
 */

let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let client: ReturnType<typeof createOktaClient>;
let identities: InMemoryIdentityStore;
let w: Worker;

const item = (userId: string, eventType: string): WorkItem => ({
  kind: 'converge-user',
  userId,
  triggers: [{ eventUuid: `evt-${eventType}-${Math.random()}`, eventType }],
  source: 'event-hook',
});

async function setTemplate(
  template: string,
  type: 'BUILT_IN' | 'CUSTOM',
  pushStatus?: 'PUSH',
): Promise<void> {
  const app = await getAppRaw(client, DEMO.appId);
  await replaceAppRaw(client, DEMO.appId, {
    ...app,
    credentials: {
      ...(app.credentials as Record<string, unknown>),
      userNameTemplate: { template, type, ...(pushStatus ? { pushStatus } : {}) },
    },
  });
}

const appUserName = (userId: string) =>
  okta.state.listAppUsers(DEMO.appId).find((u) => u.id === userId)?.userName;
const setEmail = (userId: string, email: string) =>
  client.userApi.updateUser({ userId, user: { profile: { email } } });

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo', rateLimits: false });
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
  await pasteConsoleValues(okta, frontline);
  identities = new InMemoryIdentityStore();
  w = frontlineWorker({ okta, frontline, identities, policy: resolvePolicy({ groupIds: [DEMO.groupId] }) });
});

describe('Function: createFrontlineStep, renames', () => {
  it('records the re-derived username after a profile update, and offboarding deactivates both identities', async () => {
    await setTemplate('${source.email}', 'CUSTOM', 'PUSH');
    const before = await signInThroughOkta(okta, frontline, DEMO.users.agent);
    await identities.record(DEMO.users.agent, before);

    await setEmail(DEMO.users.agent, 'alex.new@example.com');
    expect(appUserName(DEMO.users.agent)).toBe('alex.new@example.com');
    const followed = await w.processWorkItem(item(DEMO.users.agent, 'user.account.update_profile'));

    expect(followed.frontline).toMatchObject({ identity: 'alex.new@example.com', source: 'assignment' });
    expect(followed.appsBucketCalls).toBe(1);
    expect(await identities.get(DEMO.users.agent)).toMatchObject({
      identity: 'alex.new@example.com',
      previous: [before],
    });

    // The next sign-in is under the new name: Frontline makes a second, empty user, as Twilio does.
    const after = await signInThroughOkta(okta, frontline, DEMO.users.agent);
    expect(after).toBe('alex.new@example.com');
    expect(frontline.control.getUser(before)?.state).toBe('active');

    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.agent });
    const left = await w.processWorkItem(item(DEMO.users.agent, 'group.user_membership.remove'));

    expect(left.frontline).toMatchObject({
      identity: after,
      result: 'deactivated',
      previous: [{ identity: before, result: 'deactivated' }],
    });
    expect(frontline.control.getUser(before)).toMatchObject({ state: 'deactivated', activeSessions: 0 });
    expect(frontline.control.getUser(after)).toMatchObject({ state: 'deactivated', activeSessions: 0 });
  });

  it('keeps the record when Okta kept the username (a built-in format is not re-derived)', async () => {
    const before = await signInThroughOkta(okta, frontline, DEMO.users.agent);
    await identities.record(DEMO.users.agent, before);

    await setEmail(DEMO.users.agent, 'alex.new@example.com');
    const outcome = await w.processWorkItem(item(DEMO.users.agent, 'user.account.update_profile'));

    expect(appUserName(DEMO.users.agent)).toBe(before);
    expect(outcome.frontline).toMatchObject({ identity: before, source: 'assignment' });
    expect(await identities.get(DEMO.users.agent)).toEqual(
      expect.not.objectContaining({ previous: expect.anything() }),
    );
  });

  it('spends no apps-bucket call when the template still renders the identity on record', async () => {
    await identities.record(DEMO.users.agent, appUserName(DEMO.users.agent)!);
    await client.userApi.updateUser({
      userId: DEMO.users.agent,
      user: { profile: { login: 'alex.renamed@example.com' } },
    });

    const outcome = await w.processWorkItem(item(DEMO.users.agent, 'user.account.update_profile'));

    expect(outcome.frontline).toMatchObject({ source: 'recorded' });
    expect(outcome.appsBucketCalls).toBe(0);
  });

  it('follows an admin’s Update Now through change_username: the new username is recorded, the old kept', async () => {
    const before = appUserName(DEMO.users.agent)!;
    await identities.record(DEMO.users.agent, before);
    await setTemplate('${fn:substringBefore(source.email, "@")}', 'CUSTOM');
    const res = await fetch(`${okta.url}/__emulator/apps/${DEMO.appId}/update-usernames`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(appUserName(DEMO.users.agent)).toBe('alex.agent');

    const outcome = await w.processWorkItem(
      item(DEMO.users.agent, 'application.user_membership.change_username'),
    );

    expect(outcome.frontline).toMatchObject({ identity: 'alex.agent', source: 'assignment' });
    expect(await identities.get(DEMO.users.agent)).toMatchObject({
      identity: 'alex.agent',
      previous: [before],
    });
  });
});
