import { resolvePolicy } from '../../src/domain/policy';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import type { IdentityTrail } from '../../src/domain/frontline-identity';
import type { OktaDirectory } from '../../src/okta/directory';
import { OktaPermanentError } from '../../src/okta/errors';
import type { FrontlineUser, FrontlineUsers } from '../../src/twilio/users';
import type { ConvergenceOutcome } from '../../src/worker/converge';
import { createFrontlineStep } from '../../src/worker/frontline-step';

/*
 * A deleted user with nothing on record: the step asks the directory for what the System Log still carries (the
 * adapter is src/okta/identity-trail.ts) and renders the app's template on the logins it found.
 */

const USER = '00udeleted0000000001';
const APP = '0oafrontline00000001';

function frontlineWith(...identities: string[]): FrontlineUsers & { updated: string[] } {
  const users = new Map<string, FrontlineUser>(
    identities.map((identity) => [
      identity,
      {
        sid: `US${identity}`,
        identity,
        friendlyName: null,
        avatar: null,
        state: 'active',
        isAvailable: true,
      },
    ]),
  );
  const updated: string[] = [];
  return {
    updated,
    get: async (identity) => users.get(identity),
    update: async (identity, update) => {
      const user = users.get(identity);
      if (!user) return undefined;
      updated.push(identity);
      return { ...user, ...(update.state ? { state: update.state } : {}) };
    },
  };
}

function directory(template: string, trail: IdentityTrail | Error): OktaDirectory {
  const refuse = () => Promise.reject(new Error('not called'));
  return {
    getUser: refuse,
    listUserGroupIds: refuse,
    listAppLinks: refuse,
    updateUserProfile: refuse,
    assignUser: refuse,
    unassignUser: refuse,
    getAppUserName: refuse,
    getAppUserNameTemplate: async () => template,
    readIdentityTrail: async () => {
      if (trail instanceof Error) throw trail;
      return trail;
    },
  };
}

const deleted: ConvergenceOutcome = {
  userId: USER,
  triggers: ['evt-1'],
  actions: [],
  outcome: 'skipped',
  skipCode: 'user-not-found',
  user: null,
  appsBucketCalls: 0,
  durationMs: 0,
};

function step(users: FrontlineUsers, identities = new InMemoryIdentityStore()) {
  return createFrontlineStep({
    users: async () => users,
    identities,
    appId: APP,
    policy: resolvePolicy({ groupIds: ['00gfrontline00000001'] }),
  });
}

describe('Function: createFrontlineStep, a deleted user’s System Log trail', () => {
  it('renders the app template on the login an event carries when the log holds no app username', async () => {
    const users = frontlineWith('lee');
    const identities = new InMemoryIdentityStore();
    const trail = { appUserNames: [], logins: ['lee@example.com'] };

    const outcome = await step(users, identities).run(
      deleted,
      directory('${fn:substringBefore(source.login, "@")}', trail),
    );

    expect(outcome).toMatchObject({ identity: 'lee', result: 'deactivated', source: 'event-login' });
    expect(users.updated).toEqual(['lee']);
    expect((await identities.get(USER))?.identity).toBe('lee');
  });

  it('tries the logged app usernames first, newest first, and deactivates every one Frontline has', async () => {
    const users = frontlineWith('lee.new', 'lee.old');
    const trail = { appUserNames: ['lee.new', 'lee.old'], logins: ['lee@example.com'] };

    const outcome = await step(users).run(deleted, directory('${source.email}', trail));

    expect(outcome).toMatchObject({
      identity: 'lee.new',
      source: 'system-log',
      candidates: [
        { identity: 'lee.new', source: 'system-log', result: 'deactivated' },
        { identity: 'lee.old', source: 'system-log', result: 'deactivated' },
      ],
    });
    expect(users.updated).toEqual(['lee.new', 'lee.old']);
  });

  it('has no identity, and fails nothing, when the credential may not read the System Log', async () => {
    const users = frontlineWith('lee');
    const forbidden = new OktaPermanentError('read the System Log: 403 E0000006', 'forbidden');

    const outcome = await step(users).run(deleted, directory('${source.login}', forbidden));

    expect(outcome).toMatchObject({ result: 'no-identity', systemLogCalls: 1 });
    expect(users.updated).toEqual([]);
  });
});
