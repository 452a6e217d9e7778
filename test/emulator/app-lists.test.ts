import { DEMO, DEMO_SEED, type SeedData } from '../../emulator/okta';
import { newAppJson } from '../../src/domain/new-app';
import { all, raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pad = (p: string, tag: string) => `${p}${tag}`.padEnd(20, '0').slice(0, 20);
const GROUP_NAMES = ['Agents East', 'Agents West', 'Agents North', 'Supervisors', 'Agents South'];
const GROUPS = GROUP_NAMES.map((name, i) => ({ id: pad('00g', `paged${i}`), name }));

const SEED: SeedData = {
  ...DEMO_SEED,
  groups: [...(DEMO_SEED.groups ?? []), ...GROUPS],
  appGroups: [
    ...(DEMO_SEED.appGroups ?? []),
    ...GROUPS.map((g, priority) => ({ appId: DEMO.appId, groupId: g.id, priority })),
  ],
};

function links(res: { headers: Headers }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (res.headers.get('link') ?? '').split(/,\s*(?=<)/)) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (m) out[m[2]!] = m[1]!;
  }
  return out;
}

describe('Okta emulator: app lists as the Apps API pages and filters them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: SEED });
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const groupsUrl = (query: string) => `${h.emulator.url}/api/v1/apps/${DEMO.appId}/groups?${query}`;

  // Apps API, "List all application groups": `limit` (default 20, max 200) and `after`, with a `next` link.
  it('pages the app groups by limit with a next link, in priority order, each group once', async () => {
    const seen: string[] = [];
    let url: string | undefined = groupsUrl('limit=2');
    let pages = 0;
    while (url) {
      const res = await raw(h.client, 'GET', url);
      const page = res.json() as Json[];
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((g) => g.id as string));
      url = links(res).next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(GROUPS.map((g) => g.id));
    // The SDK's collection follows the same links.
    const viaSdk = await all(
      h.client.applicationApi.listApplicationGroupAssignments({ appId: DEMO.appId, limit: 2 }),
    );
    expect(viaSdk.map((g) => g.id)).toEqual(GROUPS.map((g) => g.id));
  });

  // Same reference: `q` "is matched against the group name … only the startsWith operation".
  it('filters the app groups with q on the start of the group name', async () => {
    const res = await raw(h.client, 'GET', groupsUrl(`q=${encodeURIComponent('agents')}`));
    expect((res.json() as Json[]).map((g) => g.id)).toEqual(
      GROUPS.filter((g) => g.name.startsWith('Agents')).map((g) => g.id),
    );
    const none = await raw(h.client, 'GET', groupsUrl('q=West'));
    expect(none.json()).toEqual([]);
  });

  // okta-sdk-nodejs integration tests of a created SAML app expect `defaultRelayState` null; Okta answers null for
  // a blank value (also ../shared/okta-notes.md, "defaultRelayState blank (Okta returns null)").
  it('keeps a blank defaultRelayState of a created SAML app as null', async () => {
    const body = newAppJson(DEMO.realmSid, { label: 'Relay state test' });
    expect((body.settings as Json).signOn.defaultRelayState).toBe('');
    const created = (
      await raw(h.client, 'POST', `${h.emulator.url}/api/v1/apps?activate=true`, body)
    ).json() as Json;
    expect(created.settings.signOn.defaultRelayState).toBeNull();
    const read = (await raw(h.client, 'GET', `${h.emulator.url}/api/v1/apps/${created.id}`)).json() as Json;
    expect(read.settings.signOn.defaultRelayState).toBeNull();
  });

  // Apps API, Application `visibility.appLinks`: "links or icons that appear on the End-User Dashboard if they're
  // set to true". A link set to false is not one of the user's app links, assigned or not.
  it('leaves an assigned app out of the appLinks when its link is turned off, and marks hide.web as hidden', async () => {
    const linkIds = async () =>
      (
        (
          await raw(h.client, 'GET', `${h.emulator.url}/api/v1/users/${DEMO.users.agent}/appLinks`)
        ).json() as Json[]
      )
        .filter((l) => l.appInstanceId === DEMO.appId)
        .map((l) => ({ hidden: l.hidden }));
    expect(await linkIds()).toEqual([{ hidden: false }]);
    const app = h.emulator.state.raw.apps.get(DEMO.appId)!;
    (app.json.visibility as Json).hide = { iOS: true, web: true };
    expect(await linkIds()).toEqual([{ hidden: true }]);
    (app.json.visibility as Json).appLinks = { emulator_twiliofrontline_1_link: false };
    expect(await linkIds()).toEqual([]);
    // Still assigned: only the link is gone.
    expect(h.emulator.state.listAppUsers(DEMO.appId).map((u) => u.id)).toContain(DEMO.users.agent);
  });
});
