import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { startFrontlineEmulator, type RunningFrontlineEmulator } from '../../emulator/frontline';
import { resolvePolicy, type PolicyInput } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { createOktaClient } from '../../src/okta/client';
import type { Worker } from '../../src/worker/worker';
import { frontlineWorker, pasteConsoleValues, signInThroughOkta } from './frontline-sign-in';

/*
 * Agents who predate the product: nothing on record, their Frontline users made by real sign-ins through Okta. When
 * access goes, the worker deactivates what Frontline has among the candidates and says which one matched.
 */

let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let client: ReturnType<typeof createOktaClient>;
let identities: InMemoryIdentityStore;

function worker(policy: Omit<PolicyInput, 'groupIds'> = {}): Worker {
  return frontlineWorker({
    okta,
    frontline,
    identities,
    policy: resolvePolicy({ groupIds: [DEMO.groupId], ...policy }),
  });
}

const item = (userId: string, eventType: string): WorkItem => ({
  kind: 'converge-user',
  userId,
  triggers: [{ eventUuid: `evt-${eventType}`, eventType }],
  source: 'event-hook',
});

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
});

describe('Function: createFrontlineStep, an agent with nothing on record', () => {
  it('deactivates an agent deactivated in Okta under the app template rendered on their profile, and records it', async () => {
    const identity = await signInThroughOkta(okta, frontline, DEMO.users.agent);
    await client.userApi.deactivateUser({ userId: DEMO.users.agent }); // Okta drops the assignment

    const outcome = await worker().processWorkItem(item(DEMO.users.agent, 'user.lifecycle.deactivate'));

    expect(outcome.frontline).toMatchObject({ identity, result: 'deactivated', source: 'app-template' });
    expect(frontline.control.getUser(identity)).toMatchObject({ state: 'deactivated', activeSessions: 0 });
    expect((await identities.get(DEMO.users.agent))?.identity).toBe(identity);
  });

  it('finds a username set by hand in the System Log when the template gives another one', async () => {
    // Omar's assignment was made by hand as "omar", not as the template's email.
    const identity = await signInThroughOkta(okta, frontline, DEMO.users.oddUserName);
    expect(identity).toBe('omar');
    await client.userApi.deactivateUser({ userId: DEMO.users.oddUserName });

    const outcome = await worker().processWorkItem(item(DEMO.users.oddUserName, 'user.lifecycle.deactivate'));

    expect(outcome.frontline).toMatchObject({
      identity: 'omar',
      result: 'deactivated',
      source: 'system-log',
      systemLogCalls: 1,
      candidates: [
        { identity: 'omar.oddname@example.com', source: 'app-template', result: 'not-signed-in' },
        { identity: 'omar', source: 'system-log', result: 'deactivated' },
      ],
    });
    expect(frontline.control.getUser('omar')?.state).toBe('deactivated');
  });

  it('deactivates an agent deleted in Okta from what the System Log still carries of them', async () => {
    const identity = await signInThroughOkta(okta, frontline, DEMO.users.agent);
    // Deactivated before the product ran (nothing seen, nothing recorded), deleted now.
    await client.userApi.deactivateUser({ userId: DEMO.users.agent });
    await client.userApi.deleteUser({ userId: DEMO.users.agent });

    const outcome = await worker().processWorkItem(item(DEMO.users.agent, 'user.lifecycle.delete.initiated'));

    expect(outcome.skipCode).toBe('user-not-found');
    expect(outcome.frontline).toMatchObject({
      identity,
      result: 'deactivated',
      source: 'system-log',
      systemLogCalls: 1,
    });
    expect(frontline.control.getUser(identity)?.state).toBe('deactivated');
  });

  it('deactivates a member removed from the group in group mode, Okta having removed the assignment itself', async () => {
    await client.applicationApi.assignGroupToApplication({
      appId: DEMO.appId,
      groupId: DEMO.groupId,
      applicationGroupAssignment: {},
    });
    // An agent who holds the app only through the group (scope GROUP).
    await client.userApi.updateUser({ userId: DEMO.users.newHire, user: { profile: { userType: 'agent' } } });
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    const identity = await signInThroughOkta(okta, frontline, DEMO.users.newHire);
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    expect(okta.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.newHire)).toBe(false);

    const outcome = await worker({ assignmentMode: 'group' }).processWorkItem(
      item(DEMO.users.newHire, 'group.user_membership.remove'),
    );

    expect(outcome.frontline).toMatchObject({ identity, result: 'deactivated', source: 'app-template' });
    expect(outcome.appsBucketCalls).toBe(0);
    expect(frontline.control.getUser(identity)?.state).toBe('deactivated');
  });

  it('reads the assignment before removing it and deactivates that identity first (user mode)', async () => {
    const identity = await signInThroughOkta(okta, frontline, DEMO.users.oddUserName);
    await client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.oddUserName });

    const outcome = await worker().processWorkItem(
      item(DEMO.users.oddUserName, 'group.user_membership.remove'),
    );

    expect(outcome.frontline).toMatchObject({ identity, result: 'deactivated', source: 'okta-answer' });
    expect(outcome.frontline?.systemLogCalls).toBeUndefined();
    expect((await identities.get(DEMO.users.oddUserName))?.identity).toBe('omar');
  });
});
