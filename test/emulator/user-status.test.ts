import { DEMO, DEMO_SEED } from '../../emulator/okta';
import { failure, raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Okta emulator: deactivated profiles and asynchronous lifecycle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const userUrl = (id: string) => `${h.emulator.url}/api/v1/users/${id}`;

  it('refuses profile edits of a DEPROVISIONED user with 403 E0000038 (POST and PUT)', async () => {
    const partial = await failure(
      h.client.userApi.updateUser({
        userId: DEMO.users.deprovisioned,
        user: { profile: { userType: 'agent' } },
      }),
    );
    expect([partial.status, partial.errorCode]).toEqual([403, 'E0000038']);
    const current = (await raw(h.client, 'GET', userUrl(DEMO.users.deprovisioned))).json() as Json;
    const full = await failure(
      raw(h.client, 'PUT', userUrl(DEMO.users.deprovisioned), {
        profile: { ...current.profile, title: 'x' },
      }),
    );
    expect([full.status, full.errorCode]).toEqual([403, 'E0000038']);
    const after = (h.emulator.state.getUser(DEMO.users.deprovisioned) as Json).profile;
    expect([after.userType, after.title]).toEqual([current.profile.userType, current.profile.title]);
  });

  it('allows them once "Edit Deactivated User Profile Updates" is on (control API)', async () => {
    const res = await fetch(`${h.emulator.url}/__emulator/org-settings`, {
      method: 'PUT',
      body: JSON.stringify({ allowDeactivatedProfileUpdates: true }),
    });
    expect(res.status).toBe(200);
    await h.client.userApi.updateUser({
      userId: DEMO.users.deprovisioned,
      user: { profile: { userType: 'manager' } },
    });
    expect((h.emulator.state.getUser(DEMO.users.deprovisioned) as Json).profile.userType).toBe('manager');
    // A reset restores Okta's default (off).
    await h.emulator.control.reset();
    const err = await failure(
      h.client.userApi.updateUser({ userId: DEMO.users.deprovisioned, user: { profile: { title: 'y' } } }),
    );
    expect(err.errorCode).toBe('E0000038');
  });

  it('shows transitioningToStatus during an asynchronous deactivation, then completes on its own', async () => {
    h.emulator.control.setOrgSettings({ asyncLifecycleMs: 150 });
    await h.client.userApi.deactivateUser({ userId: DEMO.users.agent });
    const mid = (await raw(h.client, 'GET', userUrl(DEMO.users.agent))).json() as Json;
    expect([mid.status, mid.transitioningToStatus]).toEqual(['ACTIVE', 'DEPROVISIONED']);
    // Assignments go when the transition completes, not before.
    expect(h.emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.agent)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const done = (await raw(h.client, 'GET', userUrl(DEMO.users.agent))).json() as Json;
    expect(done.status).toBe('DEPROVISIONED');
    expect(done.transitioningToStatus).toBeUndefined();
    expect(h.emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.agent)).toBe(false);
  });

  it('completes an asynchronous activation when the control API says so', async () => {
    h.emulator.control.setOrgSettings({ asyncLifecycleMs: 60_000 });
    await h.client.userApi.activateUser({ userId: DEMO.users.staged, sendEmail: false });
    const mid = (await raw(h.client, 'GET', userUrl(DEMO.users.staged))).json() as Json;
    expect([mid.status, mid.transitioningToStatus]).toEqual(['STAGED', 'PROVISIONED']);
    const again = await failure(
      h.client.userApi.activateUser({ userId: DEMO.users.staged, sendEmail: false }),
    );
    expect(again.status).toBe(403);
    const res = await fetch(`${h.emulator.url}/__emulator/complete-transitions`, { method: 'POST' });
    expect(res.status).toBe(204);
    const done = (await raw(h.client, 'GET', userUrl(DEMO.users.staged))).json() as Json;
    expect([done.status, done.transitioningToStatus]).toEqual(['PROVISIONED', undefined]);
    expect(h.emulator.control.events().map((e) => e.eventType)).toContain('user.lifecycle.activate');
  });

  it('takes the setting from a seed too', async () => {
    await h.emulator.control.reset({ ...DEMO_SEED, settings: { asyncLifecycleMs: 60_000 } });
    try {
      await h.client.userApi.deactivateUser({ userId: DEMO.users.agent });
      expect(h.emulator.state.getUser(DEMO.users.agent)).toMatchObject({
        transitioningToStatus: 'DEPROVISIONED',
      });
    } finally {
      await h.emulator.control.reset(DEMO_SEED);
    }
  });

  it('starts asynchronous when the org option says so', async () => {
    const other = await startHarness({ org: { asyncLifecycleMs: 60_000 } });
    try {
      await other.client.userApi.deactivateUser({ userId: DEMO.users.agent });
      expect(other.emulator.state.getUser(DEMO.users.agent)).toMatchObject({
        status: 'ACTIVE',
        transitioningToStatus: 'DEPROVISIONED',
      });
    } finally {
      await other.emulator.stop();
    }
  });
});
