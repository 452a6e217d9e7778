import type { Client } from '@okta/okta-sdk-nodejs';
import { createOktaDirectory } from '../../src/okta/directory';
import { OktaPermanentError } from '../../src/okta/errors';

/** An SDK client whose every method records that it was called; none should be for a refused id. */
function recordingClient() {
  const calls: string[] = [];
  const record = (name: string) => async () => {
    calls.push(name);
    return {};
  };
  const client = {
    userApi: {
      getUser: record('getUser'),
      listUserGroups: record('listUserGroups'),
      listAppLinks: record('listAppLinks'),
      updateUser: record('updateUser'),
    },
    applicationApi: {
      assignUserToApplication: record('assignUserToApplication'),
      unassignUserFromApplication: record('unassignUserFromApplication'),
      getApplication: record('getApplication'),
    },
  } as unknown as Client;
  return { client, calls };
}

const APP = '0oa1a2b3c4d5e6f7g8h9';
const BAD_IDS = ['..', '.', 'me', '', '00u1a2b3c4d5e6f7g8h9/..', '\uD800' + 'a'.repeat(19)];

describe('Function: createOktaDirectory', () => {
  it.each(BAD_IDS)(
    'refuses the user id %j before any request, as a permanent invalid request',
    async (id) => {
      const { client, calls } = recordingClient();
      const directory = createOktaDirectory(client);
      const attempts = [
        directory.getUser(id),
        directory.listUserGroupIds(id),
        directory.listAppLinks(id),
        directory.updateUserProfile(id, { userType: 'agent' }),
        directory.assignUser(APP, id, 'a@example.com'),
        directory.unassignUser(APP, id),
      ];
      for (const attempt of attempts) {
        await expect(attempt).rejects.toBeInstanceOf(OktaPermanentError);
        await expect(attempt).rejects.toMatchObject({ kind: 'invalid-request' });
      }
      expect(calls).toEqual([]);
    },
  );

  it('refuses an app id that is not an Okta id', async () => {
    const { client, calls } = recordingClient();
    await expect(
      createOktaDirectory(client).unassignUser('..', '00u1a2b3c4d5e6f7g8h9'),
    ).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    expect(calls).toEqual([]);
  });

  it('passes an Okta id through to the SDK', async () => {
    const { client, calls } = recordingClient();
    await createOktaDirectory(client).updateUserProfile('00u1a2b3c4d5e6f7g8h9', { userType: 'agent' });
    expect(calls).toEqual(['updateUser']);
  });

  it('tells a missing assignment from a missing app by asking for the app, not by reading the message', async () => {
    const notFound = {
      status: 404,
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found',
      headers: { get: (name: string) => (name === 'content-type' ? 'application/json' : null) },
    };
    const build = (appExists: boolean) =>
      ({
        applicationApi: {
          unassignUserFromApplication: async () => Promise.reject(notFound),
          getApplication: async () => (appExists ? { id: APP } : Promise.reject(notFound)),
        },
      }) as unknown as Client;
    await expect(createOktaDirectory(build(true)).unassignUser(APP, '00u1a2b3c4d5e6f7g8h9')).resolves.toBe(
      'not-assigned',
    );
    await expect(
      createOktaDirectory(build(false)).unassignUser(APP, '00u1a2b3c4d5e6f7g8h9'),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });
});
