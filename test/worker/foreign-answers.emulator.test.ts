import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../../emulator/frontline';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { resolvePolicy } from '../../src/domain/policy';
import type { WorkItem } from '../../src/domain/work-item';
import { createOktaClient } from '../../src/okta/client';
import { staticDirectoryProvider } from '../../src/okta/credentials';
import { createOktaDirectory } from '../../src/okta/directory';
import { OktaTransientError } from '../../src/okta/errors';
import { FrontlineTransientError } from '../../src/twilio/errors';
import { createFetchFrontlineUsers } from '../../src/twilio/fetch-users';
import { createFrontlineStep } from '../../src/worker/frontline-step';
import { createWorker, type Worker, type WorkerLogger } from '../../src/worker/worker';
import { startFaultProxy, type FaultProxy } from '../okta/helpers/fault-proxy';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

/*
 * Issue 20, "Believe only Okta's answers": something in front of Okta (or of Twilio) answers in its place. The
 * worker runs on the Okta emulator behind a loopback proxy, with the Frontline step on the Frontline emulator
 * (behind its own proxy), as the local runtime and the Lambda run it.
 */

let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let oktaProxy: FaultProxy;
let frontlineProxy: FaultProxy;
let identities: InMemoryIdentityStore;
let logs: { level: string; extra: Record<string, unknown> }[];

const recorder: WorkerLogger = {
  info: (_message, extra) => logs.push({ level: 'info', extra }),
  warn: (_message, extra) => logs.push({ level: 'warn', extra }),
  error: (_message, extra) => logs.push({ level: 'error', extra }),
};

const policy = resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${source.email}' });

function worker(): Worker {
  const users = createFetchFrontlineUsers({
    apiUrl: frontlineProxy.url,
    credentials: {
      kind: 'auth-token',
      accountSid: frontline.accountSid,
      authToken: DEFAULT_FRONTLINE_AUTH_TOKEN,
    },
  });
  const client = createOktaClient({
    orgUrl: oktaProxy.url,
    credentials: { kind: 'ssws', token: okta.token },
  });
  return createWorker({
    userTypes: new InMemoryUserTypeMemory(),
    directory: staticDirectoryProvider(createOktaDirectory(client)),
    settings: { appId: DEMO.appId, policy },
    logger: recorder,
    frontline: createFrontlineStep({ users: async () => users, identities, appId: DEMO.appId, policy }),
  });
}

const item = (userId: string, eventType: string): WorkItem => ({
  kind: 'converge-user',
  userId,
  triggers: [{ eventUuid: 'evt-0', eventType }],
  source: 'event-hook',
});

const emailOf = (userId: string) =>
  (okta.state.getUser(userId)?.profile as Record<string, unknown>).email as string;
const isAssigned = (userId: string) => okta.state.listAppUsers(DEMO.appId).some((u) => u.id === userId);
const frontlinePosts = () => frontline.control.requestLog().filter((e) => e.method === 'POST');

/** Straight to the emulator (not through the proxy), as an admin would act in Okta. */
async function admin(method: string, path: string): Promise<void> {
  const res = await fetch(`${okta.url}${path}`, { method, headers: { authorization: `SSWS ${okta.token}` } });
  expect(res.ok).toBe(true);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo' });
  frontline = await startFrontlineEmulator();
  oktaProxy = await startFaultProxy(okta.url);
  frontlineProxy = await startFaultProxy(frontline.url);
});

afterAll(async () => {
  await oktaProxy.close();
  await frontlineProxy.close();
  await okta.stop();
  await frontline.stop();
});

beforeEach(async () => {
  oktaProxy.clear();
  frontlineProxy.clear();
  await okta.control.reset();
  frontline.control.reset();
  identities = new InMemoryIdentityStore();
  logs = [];
});

describe('Function: createWorker when something in front of Okta answers', () => {
  it('retries on an HTML 404 for a live agent and never ends their Frontline session', async () => {
    const email = emailOf(DEMO.users.agent);
    await identities.record(DEMO.users.agent, email);
    frontline.control.signIn(email);
    oktaProxy.answer({ path: `/api/v1/users/${DEMO.users.agent}`, status: 404 });

    const error = await rejection(
      worker().processWorkItem(item(DEMO.users.agent, 'user.account.update_profile')),
    );

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(frontline.control.getUser(email)).toMatchObject({ state: 'active' });
    expect(frontline.control.getUser(email)?.activeSessions).toBeGreaterThan(0);
    expect(frontlinePosts()).toEqual([]);
    expect(isAssigned(DEMO.users.agent)).toBe(true);
    expect(logs).toEqual([
      {
        level: 'warn',
        extra: expect.objectContaining({ outcome: 'retry', error: 'OktaTransientError' }),
      },
    ]);
  });

  it('retries on an HTML 200 for a joiner instead of skipping them as a user with an unknown status', async () => {
    await admin('PUT', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`);
    oktaProxy.answer({ path: `/api/v1/users/${DEMO.users.newHire}`, status: 200 });

    const error = await rejection(
      worker().processWorkItem(item(DEMO.users.newHire, 'group.user_membership.add')),
    );

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(logs[0]?.extra).toMatchObject({ outcome: 'retry' });
    expect(logs[0]?.extra).not.toHaveProperty('skipCode');

    // The next attempt, with Okta answering, onboards them.
    oktaProxy.clear();
    const outcome = await worker().processWorkItem(item(DEMO.users.newHire, 'group.user_membership.add'));
    expect(outcome.outcome).toBe('converged');
    expect(isAssigned(DEMO.users.newHire)).toBe(true);
  });

  it('still takes Okta’s own 404 E0000007 for a deleted user, ending the recorded identity’s session', async () => {
    const email = emailOf(DEMO.users.leaver);
    await identities.record(DEMO.users.leaver, email);
    frontline.control.signIn(email);
    await admin('DELETE', `/api/v1/users/${DEMO.users.leaver}`); // deactivates
    await admin('DELETE', `/api/v1/users/${DEMO.users.leaver}`); // deletes

    const outcome = await worker().processWorkItem(
      item(DEMO.users.leaver, 'user.lifecycle.delete.initiated'),
    );

    expect(outcome).toMatchObject({ outcome: 'skipped', skipCode: 'user-not-found' });
    expect(outcome.frontline).toMatchObject({ identity: email, result: 'deactivated' });
    expect(frontline.control.getUser(email)).toMatchObject({ state: 'deactivated', activeSessions: 0 });
  });
});

describe('Function: createWorker when something in front of Twilio answers', () => {
  it('retries a leaver on an HTML 404 from Frontline’s side instead of taking them for never signed in', async () => {
    const email = emailOf(DEMO.users.leaver);
    frontline.control.signIn(email);
    await admin('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.leaver}`);
    frontlineProxy.answer({ path: /^\/v1\/Users\//, status: 404 });

    const error = await rejection(
      worker().processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove')),
    );

    expect(error).toBeInstanceOf(FrontlineTransientError);
    expect(logs[0]?.extra).toMatchObject({ outcome: 'retry', error: 'FrontlineTransientError' });
    expect(frontline.control.getUser(email)?.state).toBe('active');

    // Once Twilio answers itself, the retry ends the session.
    frontlineProxy.clear();
    const outcome = await worker().processWorkItem(item(DEMO.users.leaver, 'group.user_membership.remove'));
    expect(outcome.frontline).toMatchObject({ identity: email, result: 'deactivated' });
  });
});
