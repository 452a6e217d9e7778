import { DEMO, type LogEvent } from '../../emulator/okta';
import { raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function next(res: { headers: Headers }): string {
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  if (!m) throw new Error('no next link');
  return m[1]!;
}

/*
 * developer.okta.com/docs/reference/system-log-query, "Polling requests": the events "are time filtered by their
 * internal 'persistence time' to avoid skipping records due to system delays"; a next link is "always present,
 * even if there are no new events"; and to read a backlog, follow next "until no events are returned".
 */
describe('Okta emulator: System Log polling by persistence time, to an empty page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ hooks: { batchWindowMs: 10 } });
  });
  afterAll(() => h.emulator.stop());
  beforeEach(() => h.emulator.control.reset());

  const pollUrl = (since: Date, extra = '') =>
    `${h.emulator.url}/api/v1/logs?since=${encodeURIComponent(since.toISOString())}&sortOrder=ASCENDING${extra}`;

  it('finds an event persisted after since even when it was published before since', async () => {
    const template = { ...h.emulator.control.events()[0] } as Json;
    const published = new Date(Date.now() - 10 * 60_000).toISOString();
    h.emulator.control.persistLogEvent({
      ...template,
      uuid: 'late-1',
      eventType: 'user.lifecycle.suspend',
      published,
    } as LogEvent);
    const since = new Date(Date.now() - 60_000);
    const polled = (await raw(h.client, 'GET', pollUrl(since))).json() as Json[];
    expect(polled.map((e) => e.uuid)).toContain('late-1');
    // A bounded request still filters by published: the same event is outside its window.
    const bounded = (
      await raw(h.client, 'GET', `${pollUrl(since)}&until=${encodeURIComponent(new Date().toISOString())}`)
    ).json() as Json[];
    expect(bounded.map((e) => e.uuid)).not.toContain('late-1');
  });

  it('answers a short page while matching events still wait, and an empty page only at the end', async () => {
    const since = new Date(Date.now() - 1000);
    // Each suspend and unsuspend is one event; only suspends match the filter, so a slice of `limit` persisted
    // events holds fewer matches than the limit.
    for (const uid of [
      DEMO.users.newHire,
      DEMO.users.wrongType,
      DEMO.users.strayAssignee,
      DEMO.users.agent,
    ]) {
      await h.client.userApi.suspendUser({ userId: uid });
      await h.client.userApi.unsuspendUser({ userId: uid });
    }
    const filter = `&limit=3&filter=${encodeURIComponent('eventType eq "user.lifecycle.suspend"')}`;
    let url = pollUrl(since, filter);
    const pages: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await raw(h.client, 'GET', url);
      const events = res.json() as Json[];
      pages.push(events.length);
      url = next(res);
      if (events.length === 0) break;
    }
    expect(pages.at(-1)).toBe(0);
    expect(pages.slice(0, -1).every((n) => n > 0)).toBe(true);
    // A short page came before the end: "a short page means caught up" would have stopped there and missed some.
    const firstShort = pages.findIndex((n) => n < 3);
    expect(firstShort).toBeLessThan(pages.length - 1);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('keeps the next link on an empty page, which then finds what is persisted later', async () => {
    const empty = await raw(h.client, 'GET', pollUrl(new Date()));
    expect(empty.json()).toEqual([]);
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    const later = (await raw(h.client, 'GET', next(empty))).json() as Json[];
    expect(later.map((e) => e.eventType)).toEqual(['user.lifecycle.suspend']);
  });
});
