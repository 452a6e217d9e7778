import { DEMO, EMPTY_SEED, startOktaEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { all, failure, raw, startHarness, type Harness } from './helpers';

describe('Okta emulator: users through the SDK', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  it('returns a user by id and by login', async () => {
    const byId = await h.client.userApi.getUser({ userId: DEMO.users.agent });
    expect(byId.status).toBe('ACTIVE');
    expect(byId.profile?.userType).toBe('agent');
    const byLogin = await h.client.userApi.getUser({ userId: String(byId.profile?.login) });
    expect(byLogin.id).toBe(DEMO.users.agent);
  });

  it('answers 404 E0000007 for an unknown user', async () => {
    const err = await failure(h.client.userApi.getUser({ userId: '00unknown00000000000' }));
    expect(err.status).toBe(404);
    expect(err.errorCode).toBe('E0000007');
    expect(err.errorId).toEqual(expect.any(String));
    expect(err.errorLink).toBe('E0000007');
  });

  it('merges a partial POST update and keeps every other attribute', async () => {
    await h.client.userApi.updateUser({
      userId: DEMO.users.newHire,
      user: { profile: { userType: 'agent' } },
    });
    const after = h.emulator.state.getUser(DEMO.users.newHire) as { profile: Record<string, unknown> };
    expect(after.profile.userType).toBe('agent');
    expect(after.profile.department).toBe('Customer Care');
    expect(after.profile.costCenter).toBe('CC-4100');
  });

  it('drops unsent attributes on PUT (full replace)', async () => {
    const user = await h.client.userApi.getUser({ userId: DEMO.users.newHire });
    const { login, email, firstName, lastName } = user.profile!;
    await h.client.userApi.replaceUser({
      userId: DEMO.users.newHire,
      user: { profile: { login, email, firstName, lastName, userType: 'agent' } },
    });
    const after = h.emulator.state.getUser(DEMO.users.newHire) as { profile: Record<string, unknown> };
    expect(after.profile.userType).toBe('agent');
    expect(after.profile.department).toBeUndefined();
  });

  it('rejects a PUT without the required profile fields with 400 E0000001 and causes', async () => {
    const err = await failure(
      h.client.userApi.replaceUser({
        userId: DEMO.users.newHire,
        user: { profile: { userType: 'agent' } as never },
      }),
    );
    expect(err.status).toBe(400);
    expect(err.errorCode).toBe('E0000001');
    expect(err.errorCauses.map((c) => c.errorSummary)).toEqual(
      expect.arrayContaining([expect.stringContaining('login'), expect.stringContaining('email')]),
    );
  });

  it('answers 403 E0000023 on profile writes to a profile-mastered user', async () => {
    const err = await failure(
      h.client.userApi.updateUser({ userId: DEMO.users.mastered, user: { profile: { userType: 'agent' } } }),
    );
    expect(err.status).toBe(403);
    expect(err.errorCode).toBe('E0000023');
  });

  it("lists a user's groups", async () => {
    const groups = await all(h.client.userApi.listUserGroups({ userId: DEMO.users.agent }));
    expect(groups.map((g) => g.profile?.name).sort()).toEqual(['Everyone', 'Frontline Agents']);
  });

  it('lists app links for direct and group assignments', async () => {
    const links = await all(h.client.userApi.listAppLinks({ userId: DEMO.users.agent }));
    const frontline = links.find((l) => l.appInstanceId === DEMO.appId);
    expect(frontline).toMatchObject({ label: 'Twilio Frontline', appName: expect.any(String) });
    expect(frontline?.appAssignmentId).toEqual(expect.any(String));
    expect(links.some((l) => l.appInstanceId === DEMO.otherAppId)).toBe(true);
  });

  it('applies lifecycle transitions and rejects invalid ones as Okta does', async () => {
    await h.client.userApi.suspendUser({ userId: DEMO.users.agent });
    expect(h.emulator.state.getUser(DEMO.users.agent)?.status).toBe('SUSPENDED');
    const again = await failure(h.client.userApi.suspendUser({ userId: DEMO.users.agent }));
    expect([again.status, again.errorCode]).toEqual([400, 'E0000001']);
    await h.client.userApi.unsuspendUser({ userId: DEMO.users.agent });
    expect(h.emulator.state.getUser(DEMO.users.agent)?.status).toBe('ACTIVE');
    await h.client.userApi.deactivateUser({ userId: DEMO.users.agent });
    expect(h.emulator.state.getUser(DEMO.users.agent)?.status).toBe('DEPROVISIONED');
    await h.client.userApi.activateUser({ userId: DEMO.users.agent, sendEmail: false });
    expect(h.emulator.state.getUser(DEMO.users.agent)?.status).toBe('PROVISIONED');
    const active = await failure(
      h.client.userApi.activateUser({ userId: DEMO.users.newHire, sendEmail: false }),
    );
    expect(active.status).toBe(403);
  });

  it('reactivates a RECOVERY user (back to PROVISIONED) and refuses to reactivate an ACTIVE one', async () => {
    const profile = (n: string) => ({
      login: `${n}@example.com`,
      email: `${n}@example.com`,
      firstName: n,
      lastName: 'R',
    });
    const emulator = await startOktaEmulator({
      seed: {
        ...EMPTY_SEED,
        users: [
          { id: '00urecovery000000001', status: 'RECOVERY', profile: profile('rita') },
          { id: '00uactive00000000001', status: 'ACTIVE', profile: profile('abe') },
        ],
      },
    });
    try {
      const client = createOktaClient({
        orgUrl: emulator.url,
        credentials: { kind: 'ssws', token: emulator.token },
      });
      await client.userApi.reactivateUser({ userId: '00urecovery000000001', sendEmail: false });
      expect(emulator.state.getUser('00urecovery000000001')?.status).toBe('PROVISIONED');
      const err = await failure(client.userApi.reactivateUser({ userId: '00uactive00000000001' }));
      expect(err.status).toBe(403);
    } finally {
      await emulator.stop();
    }
  });

  it('revokes app assignments on deactivation, keeps group memberships, and restores group-based ones on activation', async () => {
    await h.client.userApi.deactivateUser({ userId: DEMO.users.agent });
    expect(h.emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.agent)).toBe(false);
    expect(h.emulator.state.listAppUsers(DEMO.otherAppId).some((u) => u.id === DEMO.users.agent)).toBe(false);
    expect(h.emulator.state.listGroupMemberIds(DEMO.groupId)).toContain(DEMO.users.agent);
    await h.client.userApi.activateUser({ userId: DEMO.users.agent, sendEmail: false });
    // The Intranet app is assigned to Everyone; the Frontline assignment was direct and stays gone.
    expect(h.emulator.state.listAppUsers(DEMO.otherAppId).find((u) => u.id === DEMO.users.agent)?.scope).toBe(
      'GROUP',
    );
    expect(h.emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.agent)).toBe(false);
    expect(h.emulator.control.events().map((e) => e.eventType)).toEqual(
      expect.arrayContaining([
        'user.lifecycle.deactivate',
        'application.user_membership.remove',
        'user.lifecycle.activate',
      ]),
    );
  });

  it('lists users with search and pages through them', async () => {
    const care = await all(
      h.client.userApi.listUsers({ search: 'profile.department eq "Customer Care"', limit: 3 }),
    );
    expect(care.length).toBeGreaterThan(3);
    expect(care.every((u) => u.profile?.department === 'Customer Care')).toBe(true);
    expect(new Set(care.map((u) => u.id)).size).toBe(care.length);
  });

  it('matches q against the start of firstName, lastName and email, not login', async () => {
    await h.client.userApi.createUser({
      body: {
        profile: {
          login: 'zz.login@example.com',
          email: 'quill@example.com',
          firstName: 'Petra',
          lastName: 'Ulm',
        },
      },
    });
    const logins = async (q: string) =>
      (await all(h.client.userApi.listUsers({ q }))).map((u) => u.profile?.login);
    expect(await logins('zz.')).toEqual([]);
    expect(await logins('quill')).toEqual(['zz.login@example.com']);
    expect(await logins('petr')).toEqual(['zz.login@example.com']);
    expect(await logins('ulm')).toEqual(['zz.login@example.com']);
    // A q query isn't paged: limit caps it and there is no next link.
    const res = await raw(h.client, 'GET', `${h.emulator.url}/api/v1/users?q=a&limit=1`);
    expect(res.json()).toHaveLength(1);
    expect(res.headers.get('link')).not.toContain('rel="next"');
  });

  it('creates users STAGED or activated, in the given groups, and rejects a duplicate login', async () => {
    const profile = {
      login: 'new.person@example.com',
      email: 'new.person@example.com',
      firstName: 'New',
      lastName: 'Person',
    };
    const staged = await h.client.userApi.createUser({ body: { profile }, activate: false });
    expect(staged.status).toBe('STAGED');
    // Without a password, activation waits for the welcome flow (PROVISIONED); with one, the user is ACTIVE.
    await h.client.userApi.activateUser({ userId: staged.id!, sendEmail: false });
    expect(h.emulator.state.getUser(staged.id!)?.status).toBe('PROVISIONED');
    const withPassword = await h.client.userApi.createUser({
      body: {
        profile: { ...profile, login: 'pw@example.com', email: 'pw@example.com' },
        credentials: { password: { value: 'Secret-123456' } },
      },
      activate: false,
    });
    await h.client.userApi.activateUser({ userId: withPassword.id!, sendEmail: false });
    expect(h.emulator.state.getUser(withPassword.id!)?.status).toBe('ACTIVE');
    const dup = await failure(h.client.userApi.createUser({ body: { profile } }));
    expect([dup.status, dup.errorCode]).toEqual([400, 'E0000001']);
    const active = await h.client.userApi.createUser({
      body: {
        profile: { ...profile, login: 'second@example.com', email: 'second@example.com' },
        credentials: { password: { value: 'Secret-123456' } },
        groupIds: [DEMO.groupId],
      },
    });
    expect(active.status).toBe('ACTIVE');
    expect(h.emulator.state.listGroupMemberIds(DEMO.groupId)).toContain(active.id);
    const group = await h.client.groupApi.createGroup({ group: { profile: { name: 'Night shift' } } });
    expect(group.id).toMatch(/^00g/);
  });

  it('answers 401 E0000011 for a wrong token', async () => {
    const bad = createOktaClient({ orgUrl: h.emulator.url, credentials: { kind: 'ssws', token: 'nope' } });
    const err = await failure(bad.userApi.getUser({ userId: DEMO.users.agent }));
    expect([err.status, err.errorCode]).toEqual([401, 'E0000011']);
  });
});
