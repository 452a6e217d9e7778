import fc from 'fast-check';
import {
  APP_CONFIG_EVENT_TYPES,
  countByType,
  EVENT_RULES,
  EventHookEnvelopeSchema,
  eventRule,
  isLeftGroupTrigger,
  isRemovalTrigger,
  LogEventSchema,
  REMOVAL_EVENT_TYPES,
  selectWork,
  SUBSCRIBED_EVENT_TYPES,
} from '../../src/domain/hook-events';
import { WorkItemSchema } from '../../src/domain/work-item';
import { APP_ID, fixture, GROUP_ID, groupAdd, groupRemove, logEvent } from '../receiver/factories';

const target = { groupIds: [GROUP_ID], appId: APP_ID };
const eventsOf = (name: string) => (fixture(name).data as { events: unknown[] }).events;

describe('Schema: EventHookEnvelopeSchema', () => {
  it('accepts a delivery with unknown fields and a non-UUID event id', () => {
    const parsed = EventHookEnvelopeSchema.safeParse(fixture('preview'));
    expect(parsed.success).toBe(true);
  });

  it('rejects a body whose data.events is not an array', () => {
    expect(EventHookEnvelopeSchema.safeParse({ data: { events: {} } }).success).toBe(false);
    expect(EventHookEnvelopeSchema.safeParse({ eventType: 'com.okta.event_hook' }).success).toBe(false);
  });
});

describe('Schema: LogEventSchema', () => {
  it('accepts null target, actor and debugContext, and treats a null target as no targets', () => {
    const parsed = LogEventSchema.parse({
      uuid: 'x',
      eventType: 'user.lifecycle.activate',
      target: null,
      actor: null,
      debugContext: null,
    });
    expect(parsed.target).toEqual([]);
  });

  it('upper-cases outcome.result whatever its case', () => {
    const parsed = LogEventSchema.parse({ uuid: 'x', eventType: 't', outcome: { result: ' failure ' } });
    expect(parsed.outcome?.result).toBe('FAILURE');
  });

  it('keeps unknown fields on events and targets', () => {
    const parsed = LogEventSchema.parse({
      uuid: 'x',
      eventType: 't',
      extra: 1,
      target: [{ id: '00u10000000000000000', type: 'User', extraTarget: true }],
    });
    expect(parsed).toMatchObject({ extra: 1, target: [{ extraTarget: true }] });
  });

  it('drops a target that is not an object instead of rejecting the event', () => {
    const parsed = LogEventSchema.parse({
      uuid: 'x',
      eventType: 't',
      target: ['junk', { id: '00u10000000000000000', type: 'User' }],
    });
    expect(parsed.target).toEqual([{ id: '00u10000000000000000', type: 'User' }]);
  });
});

describe('Function: selectWork', () => {
  it('enqueues group additions and removals for the configured group only, whatever the target order', () => {
    const { items, ignored } = selectWork(eventsOf('group-membership'), target);

    expect(items.map((i) => [i.userId, i.triggers.map((t) => t.eventType)])).toEqual([
      ['00u1alice000000000x1', ['group.user_membership.add']],
      ['00u1bob00000000000x1', ['group.user_membership.remove']],
    ]);
    expect(ignored).toEqual([
      {
        eventType: 'group.user_membership.add',
        reason: 'other group',
        eventUuid: '7b1c0c2c-2f5a-11ef-9d1e-63a5c5a1f5a3',
      },
    ]);
  });

  it('produces items that satisfy the WorkItem schema the worker parses', () => {
    const { items } = selectWork(eventsOf('group-membership'), target);
    for (const item of items) expect(WorkItemSchema.parse(item)).toEqual(item);
  });

  it('handles preview payloads: a lifecycle event without a User target is ignored, not an error', () => {
    const { items, ignored } = selectWork(eventsOf('preview'), target);
    expect(items.map((i) => i.userId)).toEqual(['00u1dave0000000000x1']);
    expect(ignored).toEqual([
      { eventType: 'user.lifecycle.deactivate', reason: 'no User target', eventUuid: 'preview-event-1' },
    ]);
  });

  it('routes app membership events for the Frontline app to the User target and app lifecycle events to appConfigEvents', () => {
    const { items, ignored, appConfigEvents } = selectWork(eventsOf('app-events'), target);
    expect(items.map((i) => i.userId)).toEqual(['00u1erin0000000000x1']);
    expect(appConfigEvents.map((e) => e.eventType)).toEqual(['application.lifecycle.update']);
    expect(ignored.map((i) => [i.eventType, i.reason])).toEqual([
      ['application.user_membership.add', 'other app'],
      ['user.session.start', 'event type not handled'],
    ]);
  });

  it('does not take the AppUser target id for a user id when the User target is missing', () => {
    const event = logEvent('application.user_membership.add', [
      { id: '0ua1nouser', type: 'AppUser' },
      { id: APP_ID, type: 'AppInstance' },
    ]);
    const { items, ignored } = selectWork([event], target);
    expect(items).toEqual([]);
    expect(ignored[0]?.reason).toBe('no User target');
  });

  it('ignores app events when no Frontline app is configured', () => {
    const event = logEvent('application.lifecycle.delete', [{ id: APP_ID, type: 'AppInstance' }]);
    const { appConfigEvents, ignored } = selectWork([event], { groupIds: [GROUP_ID] });
    expect(appConfigEvents).toEqual([]);
    expect(ignored[0]?.reason).toBe('no Frontline app configured');
  });

  it('ignores events whose outcome is a failure, in any case', () => {
    const { items, ignored } = selectWork(
      [groupAdd('00u10000000000000000', GROUP_ID, { outcome: { result: 'Failure' } })],
      target,
    );
    expect(items).toEqual([]);
    expect(ignored[0]?.reason).toBe('outcome FAILURE');
  });

  it('merges one user’s events into one item ordered by published, and orders items by their first event', () => {
    const late = groupAdd('00uA0000000000000000', GROUP_ID, {
      uuid: 'a2',
      published: '2026-11-27T10:00:05.000Z',
    });
    const early = groupRemove('00uA0000000000000000', GROUP_ID, {
      uuid: 'a1',
      published: '2026-11-27T10:00:01.000Z',
    });
    const other = logEvent('user.lifecycle.suspend', [{ id: '00uB0000000000000000', type: 'User' }], {
      uuid: 'b1',
      published: '2026-11-27T10:00:03.000Z',
    });
    const { items } = selectWork([late, other, early], target);
    expect(items.map((i) => [i.userId, i.triggers.map((t) => t.eventUuid)])).toEqual([
      ['00uA0000000000000000', ['a1', 'a2']],
      ['00uB0000000000000000', ['b1']],
    ]);
  });

  it('counts the same event delivered twice in one request as one trigger', () => {
    const event = groupAdd('00uA0000000000000000');
    const { items } = selectWork([event, event], target);
    expect(items).toHaveLength(1);
    expect(items[0]?.triggers).toHaveLength(1);
  });

  it('reports a malformed event as ignored without dropping the others', () => {
    const { items, ignored } = selectWork(
      [{ eventType: 'group.user_membership.add' }, 42, groupAdd('00uA0000000000000000')],
      target,
    );
    expect(items.map((i) => i.userId)).toEqual(['00uA0000000000000000']);
    expect(ignored).toEqual([
      { eventType: 'group.user_membership.add', reason: 'malformed event (uuid)' },
      { eventType: 'unknown', reason: 'malformed event (event)' },
    ]);
  });

  describe('properties', () => {
    const userId = fc.constantFrom(
      '00uA0000000000000000',
      '00uB0000000000000000',
      '00uC0000000000000000',
      '00uD0000000000000000',
    );
    const groupId = fc.constantFrom(GROUP_ID, '00gOther1', '00gOther2');
    const event = fc.oneof(
      fc
        .tuple(userId, groupId, fc.boolean())
        .map(([u, g, add]) => (add ? groupAdd(u, g) : groupRemove(u, g))),
      fc
        .tuple(userId, fc.constantFrom('activate', 'deactivate', 'suspend', 'unsuspend', 'reactivate'))
        .map(([u, what]) => logEvent(`user.lifecycle.${what}`, [{ id: u, type: 'User' }])),
      fc.tuple(userId, groupId).map(([u, g]) =>
        logEvent('user.session.start', [
          { id: u, type: 'User' },
          { id: g, type: 'UserGroup' },
        ]),
      ),
    );

    it('yields exactly one item per user who has at least one relevant event, and none for anyone else', () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 40 }), (events) => {
          const { items } = selectWork(events, target);
          const ids = items.map((i) => i.userId);
          expect(new Set(ids).size).toBe(ids.length);

          const relevantUsers = new Set(
            events
              .filter((e) => {
                const targets = e.target as { id: string; type: string }[];
                const type = e.eventType as string;
                if (type.startsWith('user.lifecycle.')) return true;
                if (type.startsWith('group.user_membership.'))
                  return targets.some((t) => t.type === 'UserGroup' && t.id === GROUP_ID);
                return false;
              })
              .map((e) => (e.target as { id: string; type: string }[]).find((t) => t.type === 'User')?.id),
          );
          expect(new Set(ids)).toEqual(relevantUsers);
        }),
      );
    });

    it('never yields an item for a user whose events are all for other groups', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc
              .tuple(userId, fc.constantFrom('00gOther1', '00gOther2'), fc.boolean())
              .map(([u, g, add]) => (add ? groupAdd(u, g) : groupRemove(u, g))),
            { maxLength: 30 },
          ),
          (events) => {
            const { items, ignored } = selectWork(events, target);
            expect(items).toEqual([]);
            expect(ignored).toHaveLength(events.length);
          },
        ),
      );
    });

    it('accounts for every event: each one is a trigger, ignored, or an app config event (after deduplication)', () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 40 }), (events) => {
          const { items, ignored, appConfigEvents } = selectWork(events, target);
          const triggers = items.reduce((n, i) => n + i.triggers.length, 0);
          expect(triggers + ignored.length + appConfigEvents.length).toBe(
            new Set(events.map((e) => e.uuid)).size,
          );
        }),
      );
    });
  });
});

describe('Function: selectWork with two Frontline groups', () => {
  const SECOND_GROUP_ID = '00g2frontline000000x2';
  const THIRD_GROUP_ID = '00g3unrelated000000x3';
  const twoGroups = { groupIds: [GROUP_ID, SECOND_GROUP_ID], appId: APP_ID };

  it.each([
    [
      'an addition to the first group',
      () => groupAdd('00uA0000000000000000', GROUP_ID),
      'group.user_membership.add',
    ],
    [
      'a removal from the first group',
      () => groupRemove('00uA0000000000000000', GROUP_ID),
      'group.user_membership.remove',
    ],
    [
      'an addition to the second group',
      () => groupAdd('00uA0000000000000000', SECOND_GROUP_ID),
      'group.user_membership.add',
    ],
    [
      'a removal from the second group',
      () => groupRemove('00uA0000000000000000', SECOND_GROUP_ID),
      'group.user_membership.remove',
    ],
  ])('enqueues %s as work for the member', (_name, makeEvent, eventType) => {
    // Prepare
    const event = makeEvent();

    // Act
    const { items, ignored } = selectWork([event], twoGroups);

    // Assess
    expect(items.map((i) => [i.userId, i.triggers.map((t) => t.eventType)])).toEqual([
      ['00uA0000000000000000', [eventType]],
    ]);
    expect(ignored).toEqual([]);
  });

  it.each([
    ['an addition to', groupAdd],
    ['a removal from', groupRemove],
  ])('ignores %s a third group as other group', (_name, makeEvent) => {
    // Prepare
    const event = makeEvent('00uA0000000000000000', THIRD_GROUP_ID);

    // Act
    const { items, ignored } = selectWork([event], twoGroups);

    // Assess
    expect(items).toEqual([]);
    expect(ignored).toEqual([{ eventType: event.eventType, reason: 'other group', eventUuid: event.uuid }]);
  });

  it('merges one user’s events from both groups into one item and leaves out the third group’s', () => {
    // Prepare
    const events = [
      groupAdd('00uA0000000000000000', GROUP_ID, { uuid: 'g1', published: '2026-11-27T10:00:01.000Z' }),
      groupRemove('00uA0000000000000000', SECOND_GROUP_ID, {
        uuid: 'g2',
        published: '2026-11-27T10:00:02.000Z',
      }),
      groupAdd('00uA0000000000000000', THIRD_GROUP_ID, { uuid: 'g3', published: '2026-11-27T10:00:03.000Z' }),
    ];

    // Act
    const { items, ignored } = selectWork(events, twoGroups);

    // Assess
    expect(items.map((i) => [i.userId, i.triggers.map((t) => t.eventUuid)])).toEqual([
      ['00uA0000000000000000', ['g1', 'g2']],
    ]);
    expect(ignored.map((i) => [i.eventUuid, i.reason])).toEqual([['g3', 'other group']]);
  });
});

describe('Table: EVENT_RULES', () => {
  it('subscribes the hook to every hook event type it acts on and to no reconcile trigger', () => {
    expect(SUBSCRIBED_EVENT_TYPES).toHaveLength(14);
    expect(SUBSCRIBED_EVENT_TYPES).not.toContain('application.user_membership.change_username');
    expect(SUBSCRIBED_EVENT_TYPES.filter((t) => t.startsWith('reconcile'))).toEqual([]);
    expect(APP_CONFIG_EVENT_TYPES).toEqual([
      'application.lifecycle.update',
      'application.lifecycle.deactivate',
      'application.lifecycle.delete',
    ]);
  });

  it('marks removals and left-the-group triggers', () => {
    expect([...REMOVAL_EVENT_TYPES].sort()).toEqual([
      'application.user_membership.add',
      'group.user_membership.remove',
      'reconcile.unassign',
      'user.lifecycle.deactivate',
      'user.lifecycle.delete.initiated',
      'user.lifecycle.suspend',
    ]);
    const leftGroup = Object.keys(EVENT_RULES).filter(isLeftGroupTrigger);
    expect(leftGroup).toEqual(['group.user_membership.remove', 'reconcile.unassign']);
  });

  it('knows no rule for inherited property names', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(eventRule(name)).toBeUndefined();
      expect(isRemovalTrigger(name)).toBe(false);
    }
  });

  it('ignores a reconcile trigger type arriving in a hook delivery', () => {
    const { items, ignored } = selectWork(
      [logEvent('reconcile.unassign', [{ id: '00u1a2b3c4d5e6f7g8h9', type: 'User' }])],
      target,
    );
    expect(items).toEqual([]);
    expect(ignored).toEqual([expect.objectContaining({ reason: 'event type not handled' })]);
  });
});

describe('Function: selectWork with user ids that are not Okta ids', () => {
  it.each([
    ['..'],
    ['.'],
    ['me'],
    ['00u1'],
    ['00u1a2b3c4d5e6f7g8h9x'],
    ['00u1a2b3c4d5e6f7g8/h'],
    ['\uD800' + 'a'.repeat(19)],
  ])('ignores %j and counts it as an irrelevant event', (id) => {
    const { items, ignored } = selectWork([groupAdd(id)], target);
    expect(items).toEqual([]);
    expect(ignored).toEqual([
      expect.objectContaining({
        eventType: 'group.user_membership.add',
        reason: 'User target id is not an Okta id',
      }),
    ]);
    expect(countByType(ignored)).toEqual({ 'group.user_membership.add': 1 });
  });

  it('takes an Okta id of 20 letters and digits', () => {
    const { items } = selectWork([groupAdd('00u1a2b3c4d5e6f7g8h9')], target);
    expect(items.map((i) => i.userId)).toEqual(['00u1a2b3c4d5e6f7g8h9']);
  });
});

describe('Function: countByType', () => {
  it('counts event types named like Object.prototype members as plain types', () => {
    const ignored = ['constructor', '__proto__', '__proto__', 'toString', 'x'].map((eventType) => ({
      eventType,
      reason: 'event type not handled',
    }));
    const counts = countByType(ignored);
    expect(JSON.parse(JSON.stringify(counts))).toEqual({
      constructor: 1,
      toString: 1,
      x: 1,
      ['__proto__']: 2,
    });
    expect(Object.keys(counts)).toEqual(['constructor', '__proto__', 'toString', 'x']);
  });
});
