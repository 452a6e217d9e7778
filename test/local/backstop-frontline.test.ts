import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { resolvePolicy } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { startBackstop } from '../../src/local/backstop';
import { createOktaClient } from '../../src/okta/client';

describe('Function: startBackstop with Frontline', () => {
  let okta: RunningEmulator;
  let frontline: RunningFrontlineEmulator;
  beforeAll(async () => {
    okta = await startOktaEmulator({ seed: 'demo', rateLimits: false });
    frontline = await startFrontlineEmulator();
  });
  afterAll(async () => {
    await okta.stop();
    await frontline.stop();
  });

  it('deactivates a recorded leaver still signed in to Frontline on its run', async () => {
    const email = (okta.state.getUser(DEMO.users.newHire)?.profile as { email: string }).email;
    const identities = new InMemoryIdentityStore();
    await identities.record(DEMO.users.newHire, email);
    frontline.control.signIn(email);
    const users = createFetchFrontlineUsers({
      apiUrl: frontline.url,
      credentials: {
        kind: 'auth-token',
        accountSid: frontline.accountSid,
        authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
      },
    });
    const queued: WorkItem[] = [];
    const backstop = startBackstop({
      client: createOktaClient({ orgUrl: okta.url, credentials: { kind: 'ssws', token: okta.token } }),
      queue: { enqueue: async (items) => void queued.push(...items) },
      settings: {
        appId: DEMO.appId,
        policy: resolvePolicy({
          groupIds: [DEMO.groupId],
          pinnedUserNameTemplate: '${source.email}',
          pruneUnmanaged: false,
        }),
        realmSid: undefined,
        appLabel: undefined,
        reconcileIntervalSeconds: 0,
      },
      fingerprints: { writable: false, get: async () => undefined, confirm: async () => undefined },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      frontline: { users: async () => users, identities },
    });

    await backstop.runOnce();

    expect(frontline.control.getUser(email)).toMatchObject({ state: 'deactivated', activeSessions: 0 });
  });
});
