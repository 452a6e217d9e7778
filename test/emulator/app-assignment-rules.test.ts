import type { SeedData } from '../../emulator/okta';
import { failure, raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pad = (p: string, tag: string) => `${p}${tag}`.padEnd(20, '0').slice(0, 20);
const APP = pad('0oa', 'rules');
const GROUP = pad('00g', 'rules');
const [ANN, BEN, GONE] = [pad('00u', 'ann'), pad('00u', 'ben'), pad('00u', 'gone')];
const person = (id: string, name: string, status?: 'DEPROVISIONED') => ({
  id,
  ...(status ? { status } : {}),
  profile: { login: `${name}@example.com`, email: `${name}@example.com`, firstName: name, lastName: 'Test' },
});

const SEED: SeedData = {
  users: [person(ANN, 'ann'), person(BEN, 'ben'), person(GONE, 'gone', 'DEPROVISIONED')],
  groups: [{ id: GROUP, name: 'Rules' }],
  memberships: { [GROUP]: [ANN, BEN] },
  apps: [
    { id: APP, label: 'Rules app', signOnMode: 'BOOKMARK', settings: { app: { url: 'https://x.test' } } },
  ],
  // BEN holds the app both individually and through the group.
  appUsers: [{ appId: APP, userId: BEN }],
  appGroups: [{ appId: APP, groupId: GROUP }],
};

describe('Okta emulator: what assignments Okta refuses and removes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: SEED });
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const scopes = () => Object.fromEntries(h.emulator.state.listAppUsers(APP).map((u) => [u.id, u.scope]));
  const lifecycle = (op: string) =>
    raw(h.client, 'POST', `${h.emulator.url}/api/v1/apps/${APP}/lifecycle/${op}`);

  // support.okta.com, "Can an Application Be Assigned to a Deactivated User": "Assigning deactivated users to
  // applications is NOT possible."
  it('refuses to assign a deactivated user (403 E0000038) and makes no app user', async () => {
    const err = await failure(
      h.client.applicationApi.assignUserToApplication({ appId: APP, appUser: { id: GONE, scope: 'USER' } }),
    );
    expect([err.status, err.errorCode]).toEqual([403, 'E0000038']);
    expect(scopes()[GONE]).toBeUndefined();
    expect(h.emulator.control.events().map((e) => e.eventType)).not.toContain(
      'application.user_membership.add',
    );
  });

  it('refuses the assignment once the user is deactivated, between a read and the write', async () => {
    await h.client.userApi.deactivateUser({ userId: ANN });
    const err = await failure(
      h.client.applicationApi.assignUserToApplication({ appId: APP, appUser: { id: ANN, scope: 'USER' } }),
    );
    expect([err.status, err.errorCode]).toEqual([403, 'E0000038']);
  });

  // help.okta.com, "Deactivate app integrations": "Deactivating an app results in a reconciliation being performed
  // for all users who were assigned to the app through group assignments. The reconciliation process removes the
  // app assignment for the deactivated app."
  it('removes group-held assignments when the app is deactivated, keeps individual ones and the group assignment', async () => {
    expect(scopes()).toEqual({ [ANN]: 'GROUP', [BEN]: 'USER' });
    await lifecycle('deactivate');
    expect(scopes()).toEqual({ [BEN]: 'USER' });
    const removed = h.emulator.control
      .events()
      .filter((e) => e.eventType === 'application.user_membership.remove')
      .map((e) => (e.target as Json[]).find((t) => t.type === 'User')!.id);
    expect(removed).toEqual([ANN]);
    const groups = (
      await raw(h.client, 'GET', `${h.emulator.url}/api/v1/apps/${APP}/groups`)
    ).json() as Json[];
    expect(groups.map((g) => g.id)).toEqual([GROUP]);
  });

  it('does not give members their assignment back on reactivation until the group is assigned again', async () => {
    await lifecycle('deactivate');
    await lifecycle('activate');
    // Okta documents no restore on activation: the emulator makes none.
    expect(scopes()).toEqual({ [BEN]: 'USER' });
    await raw(h.client, 'PUT', `${h.emulator.url}/api/v1/apps/${APP}/groups/${GROUP}`, {});
    expect(scopes()).toEqual({ [ANN]: 'GROUP', [BEN]: 'USER' });
  });

  it('gives a joiner no assignment through a group while the app is inactive', async () => {
    await lifecycle('deactivate');
    await h.client.groupApi.unassignUserFromGroup({ groupId: GROUP, userId: ANN });
    await h.client.groupApi.assignUserToGroup({ groupId: GROUP, userId: ANN });
    expect(scopes()[ANN]).toBeUndefined();
  });
});
