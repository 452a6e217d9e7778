import { DEMO } from '../../emulator/okta';
import { failure, raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/*
 * App usernames Okta rewrites on its own (support.okta.com "Application Usernames Are Not Being Updated
 * Automatically", help.okta.com "Automatically update an app username"): a Custom format set to "Create and update"
 * is re-derived when its source attribute changes; "Update Now" rewrites every app user; each change is an
 * `application.user_membership.change_username` event in the System Log, which no event hook can subscribe to.
 */
describe('Okta emulator: app usernames re-derived and "Update Now"', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 'demo', rateLimits: false });
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const appUrl = () => `${h.emulator.url}/api/v1/apps/${DEMO.appId}`;
  const userName = (userId: string) =>
    h.emulator.state.listAppUsers(DEMO.appId).find((u) => u.id === userId)?.userName;
  const changes = () =>
    h.emulator.control.events().filter((e) => e.eventType === 'application.user_membership.change_username');

  async function setTemplate(userNameTemplate: Json): Promise<void> {
    const app = (await raw(h.client, 'GET', appUrl())).json() as Json;
    const res = await raw(h.client, 'PUT', appUrl(), {
      ...app,
      credentials: { ...app.credentials, userNameTemplate },
    });
    expect(res.status).toBe(200);
  }
  const setEmail = (userId: string, email: string) =>
    raw(h.client, 'POST', `${h.emulator.url}/api/v1/users/${userId}`, { profile: { email } });
  const updateNow = (appId = DEMO.appId) =>
    fetch(`${h.emulator.url}/__emulator/apps/${appId}/update-usernames`, { method: 'POST' });

  it('re-derives a Custom "Create and update" username when its source attribute changes, and logs it', async () => {
    await setTemplate({ template: '${source.email}', type: 'CUSTOM', pushStatus: 'PUSH' });

    await setEmail(DEMO.users.agent, 'alex.new@example.com');

    expect(userName(DEMO.users.agent)).toBe('alex.new@example.com');
    expect(changes()).toHaveLength(1);
    const [event] = changes() as Json[];
    expect(event?.legacyEventType).toBe('app.generic.config.app_username_update');
    expect(event?.target).toEqual([
      expect.objectContaining({ type: 'AppUser', alternateId: 'alex.new@example.com' }),
      expect.objectContaining({ type: 'AppInstance', id: DEMO.appId }),
      expect.objectContaining({ type: 'User', id: DEMO.users.agent }),
    ]);
    const logged = await raw(
      h.client,
      'GET',
      `${h.emulator.url}/api/v1/logs?filter=${encodeURIComponent('eventType eq "application.user_membership.change_username"')}`,
    );
    expect((logged.json() as Json[]).map((e) => e.uuid)).toEqual([event?.uuid]);
  });

  it.each([
    ['a built-in format', { template: '${source.email}', type: 'BUILT_IN' }],
    [
      'a Custom format set to "Create only"',
      { template: '${source.email}', type: 'CUSTOM', pushStatus: 'DONT_PUSH' },
    ],
  ])('keeps the username with %s', async (_, template) => {
    await setTemplate(template);
    const before = userName(DEMO.users.agent);

    await setEmail(DEMO.users.agent, 'alex.new@example.com');

    expect(userName(DEMO.users.agent)).toBe(before);
    expect(changes()).toEqual([]);
  });

  it('keeps the username when an attribute the template does not read changes', async () => {
    await setTemplate({ template: '${source.email}', type: 'CUSTOM', pushStatus: 'PUSH' });

    await raw(h.client, 'POST', `${h.emulator.url}/api/v1/users/${DEMO.users.agent}`, {
      profile: { title: 'Lead' },
    });

    expect(changes()).toEqual([]);
  });

  it('rewrites every app username on "Update Now", whatever the format, one event per change', async () => {
    await setTemplate({ template: '${fn:substringBefore(source.email, "@")}', type: 'BUILT_IN' });
    const assigned = h.emulator.state.listAppUsers(DEMO.appId);

    const res = await updateNow();

    const after = h.emulator.state.listAppUsers(DEMO.appId);
    expect(after.find((u) => u.id === DEMO.users.agent)?.userName).toBe('alex.agent');
    const changed = after.filter((u, i) => u.userName !== assigned[i]?.userName);
    expect(await res.json()).toEqual({ changed: changed.length });
    expect(changes()).toHaveLength(changed.length);
    expect(changed.length).toBe(assigned.length);
  });

  it('answers "Update Now" for an unknown app with 404', async () => {
    expect((await updateNow('0oanosuchapp00000001')).status).toBe(404);
  });

  it('logs a username set through the Application Users API as change_username', async () => {
    const res = await raw(h.client, 'POST', `${appUrl()}/users/${DEMO.users.agent}`, {
      credentials: { userName: 'alex' },
    });

    expect(res.status).toBe(200);
    expect(changes().map((e) => (e.target as Json[])[0]?.alternateId)).toEqual(['alex']);
  });

  it('refuses a hook subscribed to change_username: Okta does not tag it event-hook-eligible', async () => {
    const err = await failure(
      h.client.eventHookApi.createEventHook({
        eventHook: {
          name: 'renames',
          events: { type: 'EVENT_TYPE', items: ['application.user_membership.change_username'] },
          channel: {
            type: 'HTTP',
            version: '1.0.0',
            config: {
              uri: 'https://example.com/hook',
              authScheme: { type: 'HEADER', key: 'Authorization', value: 'secret-value-0123456789' },
            },
          },
        },
      }),
    );
    expect(err.status).toBe(400);
  });
});
