import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { resolvePolicy } from '../../src/domain/policy';
import { planStopped } from '../../src/domain/reconcile-plan';
import type { WorkItem } from '../../src/domain/work-item';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import type { FrontlineUsers } from '../../src/twilio/users';
import { recordAppListing } from '../../src/reconcile/record-identities';
import { runReconcile } from '../../src/reconcile/run';
import { runScheduled } from '../../src/reconcile/scheduled';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { clientFor } from '../app-guard/helpers';

/*
 * The install-day record: every current app user's Frontline identity from one listing of the app's users, at
 * serve's start and in every run of the reconcile (the CLI's, the Lambda's, serve's backstop).
 */

let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let users: FrontlineUsers;
let identities: InMemoryIdentityStore;

const guardDirectory = () => createGuardDirectory(clientFor(okta));
const appUsers = () => okta.state.listAppUsers(DEMO.appId);
const DEVON = '00udevon'.padEnd(20, '0'); // the demo's Devon Dev (Engineering)

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
  await okta.control.reset();
  frontline.control.reset();
  identities = new InMemoryIdentityStore();
});

describe('Function: recordAppListing', () => {
  it('records every app user’s username from one listing of the app’s users, and no more on a repeat', async () => {
    okta.control.clearRequestLog();

    const first = await recordAppListing(guardDirectory(), DEMO.appId, {
      users: async () => users,
      identities,
    });
    const again = await recordAppListing(guardDirectory(), DEMO.appId, {
      users: async () => users,
      identities,
    });

    expect(first).toEqual({ listed: appUsers().length, recorded: appUsers().length, pages: 1 });
    expect(again).toEqual({ listed: appUsers().length, recorded: 0, pages: 1 });
    // Members or not (the hand-assigned stray agent, Omar's hand-set username): each as Okta holds it.
    for (const u of appUsers()) expect((await identities.get(u.id))?.identity).toBe(u.userName);
    // No per-user call: one page of the app's users per run, and nothing from Twilio.
    expect(okta.control.requestLog().map((e) => `${e.method} ${e.path}`)).toEqual([
      `GET /api/v1/apps/${DEMO.appId}/users`,
      `GET /api/v1/apps/${DEMO.appId}/users`,
    ]);
    expect(frontline.control.requestLog()).toEqual([]);
  });

  it('records nothing while Frontline offboarding is off', async () => {
    expect(
      await recordAppListing(guardDirectory(), DEMO.appId, { users: async () => undefined, identities }),
    ).toBeUndefined();
    expect(await identities.listAll()).toEqual([]);
  });
});

describe('Function: runReconcile, the install-day record', () => {
  const policy = resolvePolicy({ groupIds: [DEMO.groupId], maxGrantShare: 0, minGrantAllowance: 0 });
  const sink = async () => ({ applied: [], skipped: [], failed: [] });

  it('records the app users even when the first backfill trips the grant guard, and nothing in a dry run', async () => {
    const dry = await runReconcile(
      { okta: guardDirectory(), sink, records: { users: async () => users, identities } },
      { appId: DEMO.appId, policy, dryRun: true },
    );
    expect(dry.identitiesRecorded).toBeUndefined();
    expect(await identities.listAll()).toEqual([]);

    const run = await runReconcile(
      { okta: guardDirectory(), sink, records: { users: async () => users, identities } },
      { appId: DEMO.appId, policy },
    );

    expect(planStopped(run.plan)).toBe(true);
    expect(run.identitiesRecorded).toBe(appUsers().length);
    expect(run.frontline).toBeUndefined(); // recording only: no Frontline check from the CLI
  });
});

describe('Function: runScheduled, holders outside the groups', () => {
  it('never deactivates the Frontline user of a hand-made assignment the plan keeps, though it is recorded', async () => {
    // Devon is assigned by hand, outside the group, never onboarded by the tool: kept and reported, not pruned.
    await clientFor(okta).applicationApi.assignUserToApplication({
      appId: DEMO.appId,
      appUser: { id: DEVON },
    });
    const devon = appUsers().find((u) => u.id === DEVON)!.userName;
    frontline.control.signIn(devon);
    const queued: WorkItem[] = [];

    const summary = await runScheduled(
      {
        okta: guardDirectory(),
        queue: { enqueue: async (items) => void queued.push(...items) },
        metrics: { addMetric: () => undefined },
        frontline: { users: async () => users, identities },
      },
      { appId: DEMO.appId, policy: resolvePolicy({ groupIds: [DEMO.groupId] }) },
    );

    expect(summary.plan.unmanaged.map((u) => u.userId)).toContain(DEVON);
    expect((await identities.get(DEVON))?.identity).toBe(devon);
    expect(summary.frontline?.deactivate.map((d) => d.userId)).not.toContain(DEVON);
    expect(frontline.control.getUser(devon)?.state).toBe('active');
  });
});
