import type { SeedData } from '../../emulator/okta';
import { failure, raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pad = (p: string, tag: string) => `${p}${tag}`.padEnd(20, '0').slice(0, 20);
const APP = pad('0oa', 'grouped');
const [G_A, G_B] = [pad('00g', 'alpha'), pad('00g', 'beta')];
const [ANN, BEN, CAT] = [pad('00u', 'ann'), pad('00u', 'ben'), pad('00u', 'cat')];
const person = (id: string, name: string) => ({
  id,
  profile: { login: `${name}@example.com`, email: `${name}@example.com`, firstName: name, lastName: 'Test' },
});

const SEED: SeedData = {
  users: [person(ANN, 'ann'), person(BEN, 'ben'), person(CAT, 'cat')],
  groups: [
    { id: G_A, name: 'Alpha' },
    { id: G_B, name: 'Beta' },
  ],
  memberships: { [G_A]: [ANN, BEN], [G_B]: [BEN] },
  apps: [
    { id: APP, label: 'Grouped app', signOnMode: 'BOOKMARK', settings: { app: { url: 'https://x.test' } } },
  ],
};

describe('Okta emulator: group assignments to an app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: SEED });
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const groupUrl = (gid: string) => `${h.emulator.url}/api/v1/apps/${APP}/groups/${gid}`;
  const appUser = async (uid: string) =>
    (await raw(h.client, 'GET', `${h.emulator.url}/api/v1/apps/${APP}/users/${uid}`)).json() as Json;
  const types = () => h.emulator.control.events().map((e) => e.eventType);
  const scopes = () => Object.fromEntries(h.emulator.state.listAppUsers(APP).map((u) => [u.id, u.scope]));

  it('gives every member a GROUP-scope app user and emits the assignment events', async () => {
    const put = await raw(h.client, 'PUT', groupUrl(G_A), {});
    expect(put.json()).toMatchObject({ id: G_A, priority: 0 });
    expect(scopes()).toEqual({ [ANN]: 'GROUP', [BEN]: 'GROUP' });
    expect(types()).toEqual([
      'group.application_assignment.add',
      'application.user_membership.add',
      'application.user_membership.add',
    ]);
    expect(((await raw(h.client, 'GET', groupUrl(G_A))).json() as Json).id).toBe(G_A);
    const missing = await failure(raw(h.client, 'GET', groupUrl(G_B)));
    expect([missing.status, missing.errorCode]).toEqual([404, 'E0000007']);
  });

  it('follows joiners and leavers on its own', async () => {
    await raw(h.client, 'PUT', groupUrl(G_A), {});
    await h.client.groupApi.assignUserToGroup({ groupId: G_A, userId: CAT });
    expect(scopes()[CAT]).toBe('GROUP');
    await h.client.groupApi.unassignUserFromGroup({ groupId: G_A, userId: ANN });
    expect(scopes()[ANN]).toBeUndefined();
    expect(types().slice(-4)).toEqual([
      'group.user_membership.add',
      'application.user_membership.add',
      'group.user_membership.remove',
      'application.user_membership.remove',
    ]);
    // Leaving Beta, which is not assigned to the app, changes nothing.
    await h.client.groupApi.unassignUserFromGroup({ groupId: G_B, userId: BEN });
    expect(scopes()[BEN]).toBe('GROUP');
  });

  it('applies the highest-priority group to a member of several, and reorders on a new priority', async () => {
    await raw(h.client, 'PUT', groupUrl(G_A), { profile: { role: 'alpha' } });
    await raw(h.client, 'PUT', groupUrl(G_B), { profile: { role: 'beta' } });
    let ben = await appUser(BEN);
    expect([ben.scope, ben.profile.role, ben._links.group.href]).toEqual([
      'GROUP',
      'alpha',
      expect.stringContaining(G_A),
    ]);
    const moved = await raw(h.client, 'PUT', groupUrl(G_B), { priority: 0, profile: { role: 'beta' } });
    expect((moved.json() as Json).priority).toBe(0);
    const listed = (
      await raw(h.client, 'GET', `${h.emulator.url}/api/v1/apps/${APP}/groups`)
    ).json() as Json[];
    expect(listed.map((g) => [g.id, g.priority])).toEqual([
      [G_B, 0],
      [G_A, 1],
    ]);
    ben = await appUser(BEN);
    expect(ben.profile.role).toBe('beta');
    expect(types()).toContain('group.application_assignment.update');
  });

  it('refuses a per-user unassign of a group-held assignment with 403 E0000046', async () => {
    await raw(h.client, 'PUT', groupUrl(G_A), {});
    const err = await failure(
      h.client.applicationApi.unassignUserFromApplication({ appId: APP, userId: ANN }),
    );
    expect([err.status, err.errorCode]).toEqual([403, 'E0000046']);
    expect(scopes()[ANN]).toBe('GROUP');
  });

  it('shows USER for a member also assigned individually, who keeps the app after leaving the group', async () => {
    await raw(h.client, 'PUT', groupUrl(G_A), {});
    // Assigning a group-held user individually converts the assignment to USER scope (Okta's only API conversion).
    await h.client.applicationApi.assignUserToApplication({ appId: APP, appUser: { id: ANN } });
    expect(scopes()[ANN]).toBe('USER');
    expect(types().at(-1)).toBe('application.user_membership.update');
    await h.client.groupApi.unassignUserFromGroup({ groupId: G_A, userId: ANN });
    expect(scopes()[ANN]).toBe('USER');
    expect((await appUser(ANN))._links.group).toBeUndefined();
  });

  it('removes GROUP-only assignments when the group is unassigned, keeping individual ones', async () => {
    await raw(h.client, 'PUT', groupUrl(G_A), {});
    await h.client.applicationApi.assignUserToApplication({ appId: APP, appUser: { id: BEN } });
    const del = await raw(h.client, 'DELETE', groupUrl(G_A));
    expect(del.status).toBe(204);
    expect(scopes()).toEqual({ [BEN]: 'USER' });
    expect(types().slice(-2)).toEqual([
      'group.application_assignment.remove',
      'application.user_membership.remove',
    ]);
  });
});
