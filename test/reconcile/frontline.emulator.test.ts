import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { desiredAppConfig } from '../../src/domain/app-config';
import { POLICY_DEFAULTS, resolvePolicy } from '../../src/domain/policy';
import type { GroupMember } from '../../src/domain/reconcile-plan';
import type { WorkItem } from '../../src/domain/work-item';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import type { FrontlineUsers } from '../../src/twilio/users';
import { reconcileFrontline } from '../../src/reconcile/frontline';
import { recordListedIdentities } from '../../src/reconcile/record-identities';
import { listAssignments } from '../../src/reconcile/assignments';
import { runScheduled } from '../../src/reconcile/scheduled';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { clientFor } from '../app-guard/helpers';

/** The policy's guard, as the reconcile passes it. */
const guard = {
  maxDeactivationShare: POLICY_DEFAULTS.maxRemovalShare,
  minDeactivationAllowance: POLICY_DEFAULTS.minRemovalAllowance,
};
let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let users: FrontlineUsers;
let identities: InMemoryIdentityStore;

const emailOf = (userId: string) =>
  (okta.state.getUser(userId)?.profile as Record<string, unknown>).email as string;

/** The Frontline group's members, as the reconcile lists them. */
async function members(): Promise<GroupMember[]> {
  const listing = await listAssignments(createGuardDirectory(clientFor(okta)), {
    appId: DEMO.appId,
    groupIds: [DEMO.groupId],
  });
  return listing.members;
}

/** As the worker would have left things: each user onboarded (recorded) and signed in to Frontline once. */
async function onboarded(...userIds: string[]) {
  for (const id of userIds) {
    await identities.record(id, emailOf(id));
    frontline.control.signIn(emailOf(id));
  }
}

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  frontline = await startFrontlineEmulator();
  users = createFetchFrontlineUsers({
    apiUrl: frontline.url,
    credentials: {
      kind: 'auth-token',
      accountSid: frontline.accountSid,
      authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
    },
  });
});
afterAll(async () => {
  await okta.stop();
  await frontline.stop();
});
beforeEach(async () => {
  await okta.control.reset('demo');
  frontline.control.reset();
  identities = new InMemoryIdentityStore();
});

describe('Function: reconcileFrontline (against the Okta and Frontline emulators)', () => {
  it('deactivates recorded users who are no longer entitled and leaves entitled ones active', async () => {
    await onboarded(DEMO.users.agent, DEMO.users.suspended, DEMO.users.newHire);

    const result = await reconcileFrontline(await members(), { users: async () => users, identities }, guard);

    // newHire is not in the group, suspended is SUSPENDED: both lost access; agent keeps it.
    expect(result).toMatchObject({ checked: 2, deactivated: 2, alreadyDeactivated: 0, notSignedIn: 0 });
    expect(frontline.control.getUser(emailOf(DEMO.users.newHire))?.state).toBe('deactivated');
    expect(frontline.control.getUser(emailOf(DEMO.users.suspended))).toMatchObject({
      state: 'deactivated',
      activeSessions: 0,
    });
    expect(frontline.control.getUser(emailOf(DEMO.users.agent))?.state).toBe('active');
  });

  it('deactivates a leaver’s earlier identities too, where a session may live', async () => {
    await identities.record(DEMO.users.newHire, 'nina.before-rename');
    await onboarded(DEMO.users.newHire);
    frontline.control.signIn('nina.before-rename');

    const result = await reconcileFrontline(await members(), { users: async () => users, identities }, guard);

    expect(result?.deactivate).toEqual([
      { userId: DEMO.users.newHire, identity: emailOf(DEMO.users.newHire) },
      { userId: DEMO.users.newHire, identity: 'nina.before-rename' },
    ]);
    expect(frontline.control.getUser('nina.before-rename')?.state).toBe('deactivated');
  });

  it('counts already deactivated and never-signed-in users without writing', async () => {
    await identities.record(DEMO.users.newHire, emailOf(DEMO.users.newHire));
    await onboarded(DEMO.users.suspended);
    await users.update(emailOf(DEMO.users.suspended), { state: 'deactivated' });
    frontline.control.clearRequestLog();

    const result = await reconcileFrontline(await members(), { users: async () => users, identities }, guard);

    expect(result).toMatchObject({ checked: 2, deactivated: 0, alreadyDeactivated: 1, notSignedIn: 1 });
    expect(frontline.control.requestLog().filter((e) => e.method === 'POST')).toEqual([]);
  });

  it('writes nothing when more would be deactivated than the guard allows', async () => {
    await onboarded(DEMO.users.newHire, DEMO.users.suspended);

    const result = await reconcileFrontline(
      await members(),
      { users: async () => users, identities },
      { minDeactivationAllowance: 1, maxDeactivationShare: 0 },
    );

    expect(result?.guard).toEqual({ tripped: true, allowed: 1 });
    expect(result?.deactivate).toHaveLength(2);
    expect(frontline.control.getUser(emailOf(DEMO.users.newHire))?.state).toBe('active');
  });

  it('is off without Twilio credentials', async () => {
    await onboarded(DEMO.users.newHire);
    const result = await reconcileFrontline(
      await members(),
      { users: async () => undefined, identities },
      guard,
    );
    expect(result).toBeUndefined();
    expect(frontline.control.getUser(emailOf(DEMO.users.newHire))?.state).toBe('active');
  });

  it('runs as part of the scheduled run', async () => {
    await onboarded(DEMO.users.newHire);
    const queued: WorkItem[] = [];
    const summary = await runScheduled(
      {
        okta: createGuardDirectory(clientFor(okta)),
        queue: { enqueue: async (items) => void queued.push(...items) },
        metrics: { addMetric: () => undefined },
        frontline: { users: async () => users, identities },
      },
      {
        appId: DEMO.appId,
        policy: resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${source.email}' }),
        app: { rules: desiredAppConfig(DEMO.realmSid), mode: 'report', lastConfirmedFingerprint: undefined },
      },
    );
    // The listing also recorded every app user with nothing on record (the seed's), members or not: the suspended
    // member and the agent outside the group (whose assignment the plan removes) are checked too (neither ever
    // signed in to Frontline).
    expect(summary.identitiesRecorded).toBe(okta.state.listAppUsers(DEMO.appId).length);
    expect((await identities.get(DEMO.users.strayAssignee))?.identity).toBeDefined();
    expect((await identities.get(DEMO.users.suspended))?.identity).toBeDefined();
    expect(summary.frontline).toMatchObject({ checked: 3, deactivated: 1, notSignedIn: 2 });
    expect(frontline.control.getUser(emailOf(DEMO.users.newHire))?.state).toBe('deactivated');
  });

  it('records every app user’s identity from the listing when it is not the one on record, keeping the old, and never while Frontline is off', async () => {
    await identities.record(DEMO.users.agent, 'recorded-before@example.com');
    const listing = {
      members: [
        { id: DEMO.users.agent, status: 'ACTIVE', profile: {} },
        { id: DEMO.users.newHire, status: 'ACTIVE', profile: {} },
      ],
      appUsers: [
        { id: DEMO.users.agent, scope: 'USER', userName: 'renamed@example.com', status: 'ACTIVE' },
        { id: DEMO.users.newHire, scope: 'GROUP', userName: 'nora@example.com', status: 'ACTIVE' },
        { id: DEMO.users.strayAssignee, scope: 'USER', userName: 'stray@example.com', status: 'ACTIVE' },
      ],
    };
    expect(await recordListedIdentities({ users: async () => undefined, identities }, listing.appUsers)).toBe(
      0,
    );
    expect(await identities.get(DEMO.users.newHire)).toBeUndefined();

    expect(await recordListedIdentities({ users: async () => users, identities }, listing.appUsers)).toBe(3);
    // Renamed since: the listing's username is current from now on; the old one stays for offboarding.
    expect(await identities.get(DEMO.users.agent)).toMatchObject({
      identity: 'renamed@example.com',
      previous: ['recorded-before@example.com'],
    });
    expect((await identities.get(DEMO.users.newHire))?.identity).toBe('nora@example.com');
    // Not a member, assigned by hand: recorded too, so a deactivation that takes the assignment away still finds it.
    expect((await identities.get(DEMO.users.strayAssignee))?.identity).toBe('stray@example.com');
  });
});
