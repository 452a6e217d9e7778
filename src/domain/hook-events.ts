// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import type { WorkItem } from '../work/work-item';

/*
 * What Okta sends to an event hook, parsed tolerantly: Okta adds fields over time, Admin Console "Preview" payloads
 * carry null target/actor/debugContext, ids are not always UUIDs, and `outcome.result` has been seen in odd case.
 * Only what selection needs is required; everything else passes through untouched.
 */

export const LogTargetSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  alternateId: z.string().nullish(),
  displayName: z.string().nullish(),
});
export type LogTarget = z.infer<typeof LogTargetSchema>;

export const LogEventSchema = z.looseObject({
  uuid: z.string().min(1),
  eventType: z.string().min(1),
  published: z.string().nullish(),
  actor: z.unknown().nullish(),
  debugContext: z.unknown().nullish(),
  outcome: z
    .looseObject({
      result: z
        .string()
        .nullish()
        .transform((r) => (typeof r === 'string' ? r.trim().toUpperCase() : r)),
      reason: z.string().nullish(),
    })
    .nullish(),
  // A non-array target (null in previews) means "no targets"; a bad element is dropped rather than failing the event.
  target: z
    .array(z.unknown())
    .nullish()
    .transform((targets) =>
      (targets ?? []).flatMap((t) => {
        const parsed = LogTargetSchema.safeParse(t);
        return parsed.success ? [parsed.data] : [];
      }),
    ),
});
export type LogEvent = z.infer<typeof LogEventSchema>;

/** The envelope is checked loosely; each event is then parsed on its own so one odd event can't reject a delivery. */
export const EventHookEnvelopeSchema = z.looseObject({
  eventType: z.string().nullish(),
  eventId: z.string().nullish(),
  data: z.looseObject({
    events: z.array(z.unknown(), { error: 'data.events must be an array' }),
  }),
});
export type EventHookEnvelope = z.infer<typeof EventHookEnvelopeSchema>;

export const GROUP_MEMBERSHIP_EVENTS = ['group.user_membership.add', 'group.user_membership.remove'] as const;
export const USER_LIFECYCLE_EVENTS = [
  'user.lifecycle.activate',
  'user.lifecycle.reactivate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.delete.initiated',
] as const;
export const APP_MEMBERSHIP_EVENTS = [
  'application.user_membership.add',
  'application.user_membership.remove',
] as const;
export const APP_CONFIG_EVENTS = [
  'application.lifecycle.update',
  'application.lifecycle.deactivate',
  'application.lifecycle.delete',
] as const;

/** Every event type the receiver acts on: what an event hook subscription for this product should list. */
export const SUBSCRIBED_EVENT_TYPES: readonly string[] = [
  ...GROUP_MEMBERSHIP_EVENTS,
  ...USER_LIFECYCLE_EVENTS,
  ...APP_MEMBERSHIP_EVENTS,
  ...APP_CONFIG_EVENTS,
];

export interface SelectionTarget {
  /** The Okta group whose members get Frontline. */
  groupId: string;
  /** The Frontline SAML app; without it, app events are ignored. */
  appId?: string | undefined;
}

export interface IgnoredEvent {
  eventType: string;
  reason: string;
  /** Absent when the event was too malformed to have one. */
  eventUuid?: string;
}

export interface WorkSelection {
  /** One per affected user, triggers merged and ordered by `published`; items ordered by their first trigger. */
  items: WorkItem[];
  ignored: IgnoredEvent[];
  /** `application.lifecycle.*` for the Frontline app, for the app guard to look at. */
  appConfigEvents: LogEvent[];
}

const has = (list: readonly string[], value: string): boolean => list.includes(value);

function targetOfType(event: LogEvent, type: string): LogTarget | undefined {
  return event.target.find((t) => t.type === type);
}

type Decision = { userId: string } | { ignore: string } | { appConfig: true };

function decide(event: LogEvent, target: SelectionTarget): Decision {
  const type = event.eventType;
  const outcome = event.outcome?.result;
  const relevant =
    has(GROUP_MEMBERSHIP_EVENTS, type) ||
    has(USER_LIFECYCLE_EVENTS, type) ||
    has(APP_MEMBERSHIP_EVENTS, type) ||
    has(APP_CONFIG_EVENTS, type);
  if (!relevant) return { ignore: 'event type not handled' };
  // A failed or denied action changed nothing in Okta, so there is nothing to converge.
  if (outcome === 'FAILURE' || outcome === 'DENY') return { ignore: `outcome ${outcome}` };

  if (has(GROUP_MEMBERSHIP_EVENTS, type)) {
    const group = targetOfType(event, 'UserGroup');
    if (!group?.id) return { ignore: 'no UserGroup target' };
    if (group.id !== target.groupId) return { ignore: 'other group' };
    const user = targetOfType(event, 'User');
    return user?.id ? { userId: user.id } : { ignore: 'no User target' };
  }
  if (has(USER_LIFECYCLE_EVENTS, type)) {
    const user = targetOfType(event, 'User');
    return user?.id ? { userId: user.id } : { ignore: 'no User target' };
  }
  if (!target.appId) return { ignore: 'no Frontline app configured' };
  const app = targetOfType(event, 'AppInstance');
  if (!app?.id) return { ignore: 'no AppInstance target' };
  if (app.id !== target.appId) return { ignore: 'other app' };
  if (has(APP_CONFIG_EVENTS, type)) return { appConfig: true };
  // The AppUser target's id is the assignment's own id (0ua…), not the Okta user id (00u…), so only the User
  // target can name the user; without it the periodic reconcile is what catches the change.
  const user = targetOfType(event, 'User');
  return user?.id ? { userId: user.id } : { ignore: 'no User target' };
}

function publishedMillis(event: { published?: string | null | undefined }): number {
  const ms = event.published ? Date.parse(event.published) : Number.NaN;
  // Undated events sort last, in arrival order (Array.prototype.sort is stable).
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/**
 * Picks the events that matter for Frontline from one delivery and turns them into work: one item per affected
 * user, whatever the number or order of that user's events. Pure: same input, same output.
 */
export function selectWork(events: readonly unknown[], target: SelectionTarget): WorkSelection {
  const ignored: IgnoredEvent[] = [];
  const appConfigEvents: LogEvent[] = [];
  const byUser = new Map<string, LogEvent[]>();

  for (const raw of events) {
    const parsed = LogEventSchema.safeParse(raw);
    if (!parsed.success) {
      const rawType = (raw as { eventType?: unknown } | null)?.eventType;
      const field = parsed.error.issues[0]?.path.join('.') || 'event';
      ignored.push({
        eventType: typeof rawType === 'string' && rawType ? rawType : 'unknown',
        reason: `malformed event (${field})`,
      });
      continue;
    }
    const event = parsed.data;
    const decision = decide(event, target);
    if ('ignore' in decision) {
      ignored.push({ eventType: event.eventType, reason: decision.ignore, eventUuid: event.uuid });
    } else if ('appConfig' in decision) {
      appConfigEvents.push(event);
    } else {
      const list = byUser.get(decision.userId) ?? [];
      // Okta delivers at least once; the same event twice in one delivery is one trigger.
      if (!list.some((e) => e.uuid === event.uuid)) list.push(event);
      byUser.set(decision.userId, list);
    }
  }

  const items = [...byUser.entries()]
    .map(([userId, userEvents]) => {
      const sorted = [...userEvents].sort((a, b) => compareMillis(publishedMillis(a), publishedMillis(b)));
      const item: WorkItem = {
        kind: 'converge-user',
        userId,
        source: 'event-hook',
        triggers: sorted.map((e) => ({
          eventUuid: e.uuid,
          eventType: e.eventType,
          ...(e.published ? { published: e.published } : {}),
        })),
      };
      return { item, first: publishedMillis(sorted[0] ?? {}) };
    })
    .sort((a, b) => compareMillis(a.first, b.first))
    .map((x) => x.item);

  return { items, ignored, appConfigEvents };
}

function compareMillis(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Counts ignored events by type, for one log line per delivery. */
export function countByType(ignored: readonly IgnoredEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { eventType } of ignored) counts[eventType] = (counts[eventType] ?? 0) + 1;
  return counts;
}
