import { DEMO } from '../../emulator/okta';
import { all, failure, raw, startHarness, type Harness } from './helpers';

describe('Okta emulator: groups through the SDK', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  it('finds groups by name prefix with q', async () => {
    const groups = await all(h.client.groupApi.listGroups({ q: 'Frontline' }));
    expect(groups.map((g) => g.id)).toEqual([DEMO.groupId]);
    const group = await h.client.groupApi.getGroup({ groupId: DEMO.groupId });
    expect(group.profile?.name).toBe('Frontline Agents');
  });

  it('answers a q query in one page, without a next link, as Okta does not page queries', async () => {
    for (const name of ['Night A', 'Night B', 'Night'])
      await h.client.groupApi.createGroup({ group: { profile: { name } } });
    const res = await raw(h.client, 'GET', `${h.emulator.url}/api/v1/groups?q=Night&limit=2`);
    // Exact matches come before partial ones, whatever the id order.
    expect((res.json() as { profile: { name: string } }[]).map((g) => g.profile.name)).toEqual([
      'Night',
      'Night A',
    ]);
    expect(res.headers.get('link')).not.toContain('rel="next"');
  });

  it('pages group members with a cursor the SDK follows to the end', async () => {
    const expected = h.emulator.state.listGroupMemberIds(DEMO.groupId);
    const members = await all(h.client.groupApi.listGroupUsers({ groupId: DEMO.groupId, limit: 3 }));
    expect(members.map((u) => u.id)).toEqual(expected);
    const pages = h.emulator.control
      .requestLog()
      .filter((r) => r.path.endsWith(`/groups/${DEMO.groupId}/users`));
    expect(pages).toHaveLength(Math.ceil(expected.length / 3));
  });

  it('sends absolute self and next Link headers built from the Host used', async () => {
    const res = await raw(h.client, 'GET', `${h.emulator.url}/api/v1/groups/${DEMO.groupId}/users?limit=2`);
    const link = res.headers.get('link') ?? '';
    expect(link).toContain(`<${h.emulator.url}/api/v1/groups/${DEMO.groupId}/users?limit=2>; rel="self"`);
    expect(link).toMatch(
      new RegExp(`<${h.emulator.url}/api/v1/groups/${DEMO.groupId}/users\\?limit=2&after=[^>]+>; rel="next"`),
    );
  });

  it('leaves out rel="next" on the last page', async () => {
    const res = await raw(h.client, 'GET', `${h.emulator.url}/api/v1/groups/${DEMO.groupId}/users?limit=200`);
    expect(res.headers.get('link')).not.toContain('rel="next"');
  });

  it('adds and removes members with 204 and is idempotent', async () => {
    await h.client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await h.client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    expect(h.emulator.state.listGroupMemberIds(DEMO.groupId)).toContain(DEMO.users.newHire);
    await h.client.groupApi.unassignUserFromGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    expect(h.emulator.state.listGroupMemberIds(DEMO.groupId)).not.toContain(DEMO.users.newHire);
    const statuses = h.emulator.control
      .requestLog()
      .filter((r) => r.path.includes('/users/'))
      .map((r) => r.status);
    expect(statuses).toEqual([204, 204, 204]);
  });

  it('refuses membership changes of a directory-imported group with 403', async () => {
    const err = await failure(
      h.client.groupApi.assignUserToGroup({ groupId: DEMO.adGroupId, userId: DEMO.users.newHire }),
    );
    expect([err.status, err.errorCode]).toEqual([403, 'E0000006']);
  });

  it('answers 404 E0000007 for an unknown group', async () => {
    const err = await failure(h.client.groupApi.getGroup({ groupId: '00gunknown0000000000' }));
    expect([err.status, err.errorCode]).toEqual([404, 'E0000007']);
  });

  it('answers 404 E0000022 in Okta error shape for an unknown endpoint', async () => {
    const err = await failure(raw(h.client, 'GET', `${h.emulator.url}/api/v1/nothing-here`));
    expect(err.status).toBe(404);
    expect(err.errorCode).toBe('E0000022');
  });
});
