import { generateKeyPairSync } from 'node:crypto';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { createOktaDirectory, type OktaDirectory } from '../../src/okta/directory';
import { OktaPermanentError, OktaRateLimitedError, OktaTransientError } from '../../src/okta/errors';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy';

let emulator: RunningEmulator;
let proxy: FaultProxy;
let directory: OktaDirectory;
let guard: ReturnType<typeof createGuardDirectory>;

const userPath = (userId: string) => `/api/v1/users/${userId}`;
const isAssigned = (userId: string) => emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === userId);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  proxy = await startFaultProxy(emulator.url);
  const client = createOktaClient({
    orgUrl: proxy.url,
    credentials: { kind: 'ssws', token: emulator.token },
  });
  directory = createOktaDirectory(client);
  guard = createGuardDirectory(client);
});
afterAll(async () => {
  await proxy.close();
  await emulator.stop();
});
beforeEach(async () => {
  proxy.clear();
  await emulator.control.reset('demo');
});

describe('Function: createOktaDirectory behind something that answers in Okta’s place', () => {
  it('takes an HTML 404 for a user as a transient failure, never as "deleted", and shows no page', async () => {
    proxy.answer({ path: userPath(DEMO.users.agent), status: 404, body: '<html>secret-page-text</html>' });

    const error = await rejection(directory.getUser(DEMO.users.agent));

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(error.message).toMatch(/not Okta's \(HTTP 404 text\/html/);
    expect(error.message).not.toContain('secret-page-text');
    expect(error.cause).toBeUndefined();
    expect(proxy.answered()).toEqual([`GET ${userPath(DEMO.users.agent)}`]);
  });

  it('takes an HTML 200 for a user as a transient failure, not as a user without a status', async () => {
    proxy.answer({ path: userPath(DEMO.users.newHire), status: 200 });

    await expect(directory.getUser(DEMO.users.newHire)).rejects.toThrow(OktaTransientError);
  });

  it('takes a 200 page without a content type as a transient failure', async () => {
    proxy.answer({ path: userPath(DEMO.users.newHire), status: 200, contentType: null });

    await expect(directory.getUser(DEMO.users.newHire)).rejects.toThrow(OktaTransientError);
  });

  it('takes a JSON 200 that is no Okta user (no id, no status) as a transient failure', async () => {
    proxy.answer({
      path: userPath(DEMO.users.newHire),
      status: 200,
      contentType: 'application/json',
      body: '{"message":"ok"}',
    });

    await expect(directory.getUser(DEMO.users.newHire)).rejects.toThrow(/no Okta user/);
  });

  it('takes a JSON 404 without Okta’s errorCode (a gateway’s) as a transient failure', async () => {
    proxy.answer({
      path: userPath(DEMO.users.agent),
      status: 404,
      contentType: 'application/json',
      body: '{"message":"Not Found"}',
    });

    const error = await rejection(directory.getUser(DEMO.users.agent));

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(error.message).toMatch(/JSON without Okta's errorCode/);
  });

  it('still answers null for a user Okta itself says is gone (404 E0000007)', async () => {
    const res = await fetch(`${emulator.url}${userPath(DEMO.users.newHire)}`, {
      method: 'DELETE',
      headers: { authorization: `SSWS ${emulator.token}` },
    });
    expect(res.status).toBe(204);
    await fetch(`${emulator.url}${userPath(DEMO.users.newHire)}`, {
      method: 'DELETE',
      headers: { authorization: `SSWS ${emulator.token}` },
    });

    await expect(directory.getUser(DEMO.users.newHire)).resolves.toBeNull();
    expect(proxy.answered()).toEqual([]);
  });

  it('does not take an HTML 404 on an unassign for "already unassigned"', async () => {
    proxy.answer({
      method: 'DELETE',
      path: `/api/v1/apps/${DEMO.appId}/users/${DEMO.users.leaver}`,
      status: 404,
    });

    await expect(directory.unassignUser(DEMO.appId, DEMO.users.leaver)).rejects.toThrow(OktaTransientError);
    expect(isAssigned(DEMO.users.leaver)).toBe(true);
  });

  it('still answers not-assigned when Okta itself says the assignment is not there (404 E0000007)', async () => {
    await expect(directory.unassignUser(DEMO.appId, DEMO.users.newHire)).resolves.toBe('not-assigned');
  });

  it('does not take an HTML 404 on an assignment’s username for "not assigned"', async () => {
    proxy.answer({ path: `/api/v1/apps/${DEMO.appId}/users/${DEMO.users.agent}`, status: 404 });

    await expect(directory.getAppUserName(DEMO.appId, DEMO.users.agent)).rejects.toThrow(OktaTransientError);
  });

  it('reads a 429 without Okta’s body but with Okta’s rate-limit headers as a rate limit', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    proxy.answer({
      path: userPath(DEMO.users.agent),
      status: 429,
      headers: {
        'x-rate-limit-limit': '600',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': `${reset}`,
      },
    });

    const error = await rejection(directory.getUser(DEMO.users.agent));

    expect(error).toBeInstanceOf(OktaRateLimitedError);
    expect((error as OktaRateLimitedError).resetAt).toBeGreaterThan(Date.now() + 20_000);
  });

  it('takes a proxy’s 429 without Okta’s headers as a transient failure', async () => {
    proxy.answer({ path: userPath(DEMO.users.agent), status: 429 });

    const error = await rejection(directory.getUser(DEMO.users.agent));

    expect(error).toBeInstanceOf(OktaTransientError);
    expect(error).not.toBeInstanceOf(OktaRateLimitedError);
  });
});

describe('Function: createOktaDirectory with Okta’s own answers that carry no errorCode', () => {
  it('still reads the token endpoint’s OAuth error (invalid_client) as rejected credentials', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const unknownApp = createOktaDirectory(
      createOktaClient({
        orgUrl: proxy.url,
        credentials: {
          kind: 'private-key',
          clientId: '0oanosuchserviceapp1',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          scopes: ['okta.users.read'],
        },
      }),
    );

    const error = await rejection(unknownApp.getUser(DEMO.users.agent));

    expect(error).toBeInstanceOf(OktaPermanentError);
    expect((error as OktaPermanentError).kind).toBe('auth');
  });
});

describe('Function: createGuardDirectory behind something that answers in Okta’s place', () => {
  it('takes an HTML 404 for a user as a transient failure, not as a missing user', async () => {
    proxy.answer({ path: userPath(DEMO.users.agent), status: 404 });

    await expect(guard.getUserType(DEMO.users.agent)).rejects.toThrow(OktaTransientError);
  });

  it('still reads a user Okta itself says is gone as missing', async () => {
    await expect(guard.getUserType('00unosuchuser0000000')).resolves.toBe('missing');
  });

  it('takes an HTML 200 page of group members as a transient failure, not as an empty group', async () => {
    proxy.answer({ path: `/api/v1/groups/${DEMO.groupId}/users`, status: 200 });

    const pages = async () => {
      for await (const page of guard.listGroupMembers(DEMO.groupId)) void page;
    };
    await expect(pages()).rejects.toThrow(OktaTransientError);
  });

  it('takes an HTML 404 for an app as a transient failure, not as a missing app', async () => {
    proxy.answer({ path: `/api/v1/apps/${DEMO.appId}`, status: 404 });

    await expect(guard.getApp(DEMO.appId)).rejects.toThrow(OktaTransientError);
  });

  it('still reads the SAML metadata Okta serves as XML', async () => {
    await expect(guard.getIdpMetadata(DEMO.appId, DEMO.signingKid)).resolves.toMatchObject({
      entityId: expect.stringMatching(/^http:\/\/www\.okta\.com\//),
    });
  });

  it('takes an HTML 200 where the SAML metadata should be as a transient failure', async () => {
    proxy.answer({ path: `/api/v1/apps/${DEMO.appId}/sso/saml/metadata`, status: 200 });

    await expect(guard.getIdpMetadata(DEMO.appId, DEMO.signingKid)).rejects.toThrow(OktaTransientError);
  });
});
