import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { CATCHUP_EVENT_TYPES, runCatchup, startOfRun } from '../../src/catchup/catchup';
import { memoryCursorStore } from '../../src/catchup/cursor-store';
import type { WorkItem } from '../../src/domain/work-item';
import { createOktaClient } from '../../src/okta/client';
import { eventTypeFilter, filterOfPollUrl, firstPollPath, readLogPage } from '../../src/okta/system-log';

/*
 * Issue 22 left this: an install whose cursor was saved before an upgrade added event types kept polling with the
 * old filter (Okta's `next` link repeats the request's `filter`), so the new types never reached the catch-up.
 */

const NOW = new Date('2026-12-06T12:00:00.000Z');
const MIN = 60_000;
const pollUrl = (filter: string) =>
  `https://acme.okta.com/api/v1/logs?sortOrder=ASCENDING&limit=1000&filter=${encodeURIComponent(filter)}&after=opaque`;
const current = pollUrl(eventTypeFilter(CATCHUP_EVENT_TYPES));
const older = pollUrl(eventTypeFilter(CATCHUP_EVENT_TYPES.slice(1)));

describe('Function: startOfRun', () => {
  it('starts the first run lookbackSeconds back', () => {
    expect(startOfRun(undefined, NOW, 900)).toEqual({
      since: new Date(NOW.getTime() - 15 * MIN),
      refiltered: false,
    });
  });

  it('follows a cursor saved under the current filter, and one whose URL names no filter', () => {
    const savedAt = '2026-12-06T11:59:00.000Z';
    expect(startOfRun({ url: current, savedAt }, NOW, 900)).toEqual({ url: current, refiltered: false });
    const bare = 'https://acme.okta.com/api/v1/logs?after=opaque';
    expect(startOfRun({ url: bare, savedAt }, NOW, 900)).toEqual({ url: bare, refiltered: false });
  });

  it('starts again with the current filter lookbackSeconds before a cursor saved under another filter', () => {
    expect(startOfRun({ url: older, savedAt: '2026-12-06T09:00:00.000Z' }, NOW, 900)).toEqual({
      since: new Date('2026-12-06T08:45:00.000Z'),
      refiltered: true,
    });
    // No time on record: the lookback from now.
    expect(startOfRun({ url: older, savedAt: undefined }, NOW, 900)).toEqual({
      since: new Date(NOW.getTime() - 15 * MIN),
      refiltered: true,
    });
  });

  it('never asks for more than Okta serves: a cursor saved a year ago restarts 179 days back', () => {
    const start = startOfRun({ url: older, savedAt: '2025-12-06T12:00:00.000Z' }, NOW, 900);
    expect(start.since?.getTime()).toBe(NOW.getTime() - 179 * 24 * 60 * MIN);
  });
});

describe('Function: runCatchup, a cursor saved under an older filter (against the emulator)', () => {
  let emulator: RunningEmulator;
  const logger = { info: () => undefined, warn: () => undefined };
  const client = () =>
    createOktaClient({ orgUrl: emulator.url, credentials: { kind: 'ssws', token: emulator.token } });

  beforeEach(async () => {
    emulator = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
  });
  afterEach(() => emulator.stop());

  it('reads again from before the cursor with the current filter, finds the events the old one left out, and then follows the new cursor', async () => {
    // Arrange: a join (group.user_membership.add), then an install polling without that type reads up past it.
    await fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });
    expect(CATCHUP_EVENT_TYPES[0]).toBe('group.user_membership.add');
    const oldTypes = CATCHUP_EVENT_TYPES.slice(1);
    let page = await readLogPage(client(), firstPollPath(new Date(Date.now() - 15 * MIN), oldTypes));
    while (page.events.length > 0) page = await readLogPage(client(), page.next!);
    const cursor = memoryCursorStore(page.next);
    const enqueued: WorkItem[] = [];
    const deps = {
      readPage: (url: string) => readLogPage(client(), url),
      cursor,
      queue: { enqueue: async (items: readonly WorkItem[]) => void enqueued.push(...items) },
      target: { groupIds: [DEMO.groupId], appId: DEMO.appId },
      logger,
    };

    // Act
    const summary = await runCatchup(deps);

    // Assert
    expect(summary.refilteredSince).toEqual(expect.any(String));
    expect(summary.fromCursor).toBe(false);
    expect(enqueued.map((i) => [i.userId, i.triggers.map((t) => t.eventType)])).toEqual([
      [DEMO.users.newHire, ['group.user_membership.add']],
    ]);
    expect(filterOfPollUrl(cursor.value!)).toBe(eventTypeFilter(CATCHUP_EVENT_TYPES));
    const next = await runCatchup(deps);
    expect(next).toMatchObject({ fromCursor: true, events: 0 });
    expect(next.refilteredSince).toBeUndefined();
  });
});
