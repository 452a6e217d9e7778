import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import type { IdentityStore } from '../../src/domain/identity-record';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { createOktaClient } from '../../src/okta/client';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import { registerEventHook } from '../../src/okta/event-hooks';
import { openLocalDatabase, type LocalDatabase } from '../../src/sqlite/database';
import { sqliteIdentityStore } from '../../src/sqlite/identity-store';
import type { FrontlineOutcome } from '../../src/worker/frontline-step';
import { tempDir } from '../app-guard/helpers';
import { pasteConsoleValues, signInThroughOkta } from '../worker/frontline-sign-in';

/*
 * Issue 22's acceptance, on the emulators with nothing recorded beforehand: `serve` (the local runtime) is started
 * on an org whose agents were set up by hand and signed in to Frontline through Okta; their Frontline users must be
 * deactivated within 10 s of the event that takes their access away, and a renamed agent who signed in under both
 * names loses both.
 */

const WITHIN_MS = 10_000;
const AGENT = DEMO.users.agent;

describe('Integration: offboarding from the first minute (serve, the Okta and Frontline emulators)', () => {
  const tmp = tempDir();
  let okta: RunningEmulator;
  let frontline: RunningFrontlineEmulator;
  let client: ReturnType<typeof createOktaClient>;
  let runtime: LocalRuntime | undefined;
  let db: LocalDatabase | undefined;
  let identities: IdentityStore;
  let outcomes: { userId: string; frontline?: FrontlineOutcome }[];
  let run = 0;

  beforeAll(async () => {
    okta = await startOktaEmulator({ seed: 'demo', rateLimits: false });
    frontline = await startFrontlineEmulator();
    client = createOktaClient({ orgUrl: okta.url, credentials: { kind: 'ssws', token: okta.token } });
  });

  afterEach(async () => {
    await runtime?.stop(2_000);
    db?.close();
    runtime = undefined;
    db = undefined;
  });

  afterAll(async () => {
    await okta.stop();
    await frontline.stop();
    tmp.cleanup();
  });

  beforeEach(async () => {
    await okta.control.reset();
    frontline.control.reset();
    await pasteConsoleValues(okta, frontline);
    outcomes = [];
  });

  /** serve on a fresh data directory (nothing recorded), its hook registered as the deploy does. */
  async function startServe(): Promise<void> {
    run += 1;
    const settings = settingsForOrg(
      okta,
      { groupId: DEMO.groupId, appId: DEMO.appId },
      { dataDir: `${tmp.dir}/run-${run}` },
    );
    db = openLocalDatabase(settings.dataDir);
    identities = sqliteIdentityStore(db);
    expect(await identities.listAll()).toEqual([]);
    runtime = await startLocalRuntime({
      settings,
      db,
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      frontline: {
        enabled: true,
        apiUrl: frontline.url,
        credentials: {
          kind: 'auth-token',
          accountSid: frontline.accountSid,
          authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
        },
      },
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    const hook = await registerEventHook(client, {
      name: 'Frontline provisioner',
      url: runtime.hookUrl,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: settings.hookAuthHeader,
      secret: settings.hookSecret,
    });
    expect(hook.verified && hook.active).toBe(true);
  }

  async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined): Promise<T> {
    const deadline = Date.now() + WITHIN_MS;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`not within ${WITHIN_MS} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Milliseconds from `act` until every identity is deactivated in Frontline. */
  async function timeToDeactivate(identitiesToEnd: string[], act: () => Promise<unknown>): Promise<number> {
    const started = Date.now();
    await act();
    await until(`${identitiesToEnd.join(', ')} deactivated in Frontline`, () =>
      identitiesToEnd.every((i) => frontline.control.getUser(i)?.state === 'deactivated') ? true : undefined,
    );
    return Date.now() - started;
  }

  const recorded = (userId: string) => async () => (await identities.get(userId))?.identity;

  it('deactivates an existing agent deactivated in Okta within 10 s', async () => {
    const identity = await signInThroughOkta(okta, frontline, AGENT);
    await startServe();

    const ms = await timeToDeactivate([identity], () => client.userApi.deactivateUser({ userId: AGENT }));

    expect(ms).toBeLessThan(WITHIN_MS);
    expect(frontline.control.getUser(identity)).toMatchObject({ state: 'deactivated', activeSessions: 0 });
  });

  it('deactivates an existing agent removed from the group within 10 s', async () => {
    const identity = await signInThroughOkta(okta, frontline, AGENT);
    await startServe();

    const ms = await timeToDeactivate([identity], () =>
      client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: AGENT }),
    );

    expect(ms).toBeLessThan(WITHIN_MS);
  });

  it('deactivates an existing agent deleted in Okta (deactivated, then deleted) within 10 s', async () => {
    const identity = await signInThroughOkta(okta, frontline, AGENT);
    await startServe();

    const ms = await timeToDeactivate([identity], async () => {
      await client.userApi.deactivateUser({ userId: AGENT });
      await client.userApi.deleteUser({ userId: AGENT });
    });

    expect(ms).toBeLessThan(WITHIN_MS);
  });

  it('deactivates an agent deactivated before the install and deleted after it, from the System Log, within 10 s', async () => {
    // Deactivated while nothing watched: the assignment is gone, so the install-day listing can't see them.
    const identity = await signInThroughOkta(okta, frontline, DEMO.users.oddUserName);
    await client.userApi.deactivateUser({ userId: DEMO.users.oddUserName });
    await startServe();

    const ms = await timeToDeactivate([identity], () =>
      client.userApi.deleteUser({ userId: DEMO.users.oddUserName }),
    );

    expect(ms).toBeLessThan(WITHIN_MS);
    expect(outcomes.find((o) => o.userId === DEMO.users.oddUserName)?.frontline).toMatchObject({
      identity: 'omar',
      source: 'system-log',
    });
  });

  it('deactivates both Frontline users of an agent renamed in Okta who signed in under both names', async () => {
    const app = await getAppRaw(client, DEMO.appId);
    await replaceAppRaw(client, DEMO.appId, {
      ...app,
      credentials: {
        ...(app.credentials as Record<string, unknown>),
        userNameTemplate: { template: '${source.email}', type: 'CUSTOM', pushStatus: 'PUSH' },
      },
    });
    const before = await signInThroughOkta(okta, frontline, AGENT);
    await startServe();
    // serve's start recorded every app user's identity from one listing.
    expect(await until('the install-day record', recorded(AGENT))).toBe(before);

    await client.userApi.updateUser({
      userId: AGENT,
      user: { profile: { email: 'alex.renamed@example.com' } },
    });
    await until('the rename recorded', async () =>
      (await recorded(AGENT)()) === 'alex.renamed@example.com' ? true : undefined,
    );
    const after = await signInThroughOkta(okta, frontline, AGENT);
    expect(after).toBe('alex.renamed@example.com');
    expect(frontline.control.getUser(before)?.state).toBe('active');

    const ms = await timeToDeactivate([before, after], () =>
      client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: AGENT }),
    );

    expect(ms).toBeLessThan(WITHIN_MS);
    expect(await identities.get(AGENT)).toMatchObject({ identity: after, previous: [before] });
  });
});
