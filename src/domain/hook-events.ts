// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import { isOktaId } from './okta-id';
import type { WorkItem } from './work-item';
import { changedAttributesOf, USERNAME_SOURCE_ATTRIBUTES, type IdentityHint } from './identity-hints';

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

/** What an event (or a reconcile trigger) is about; decides how selection finds its user. */
export type EventCategory =
  'group-membership' | 'user-lifecycle' | 'app-membership' | 'app-config' | 'profile-update' | 'reconcile';

export interface EventRule {
  category: EventCategory;
  /**
   * The user may have lost the app although appLinks no longer (or never) shows it: a deactivated user's links
   * vanish while the assignment may remain, and an app membership added to a non-member is exactly what we must undo.
   */
  removal: boolean;
  /** Says the user left the group, so their assignment was ours to remove whatever their profile says. */
  leftGroup: boolean;
  /**
   * An event hook may subscribe to it: Okta's event-type catalog tags it `event-hook-eligible`. The others reach us
   * only through the System Log catch-up (src/catchup/), within a minute.
   */
  hookEligible: boolean;
  identityHint?: IdentityHint;
}

const rule = (
  category: EventCategory,
  removal = false,
  leftGroup = false,
  more: { hookEligible?: boolean; identityHint?: IdentityHint } = {},
): EventRule => ({
  category,
  removal,
  leftGroup,
  hookEligible: more.hookEligible ?? true,
  ...(more.identityHint ? { identityHint: more.identityHint } : {}),
});

/**
 * Every trigger type the product acts on, and what it means. The event types (every category but `reconcile`) are
 * what the System Log catch-up reads, and the hook-eligible ones what the event hook subscribes to; the
 * `reconcile.*` triggers come from the scheduled reconcile (src/reconcile/plan.ts `planToWorkItems`), which read the
 * assignment from the app's own user list.
 */
export const EVENT_RULES = {
  'group.user_membership.add': rule('group-membership'),
  'group.user_membership.remove': rule('group-membership', true, true),
  'user.lifecycle.activate': rule('user-lifecycle'),
  'user.lifecycle.reactivate': rule('user-lifecycle'),
  'user.lifecycle.deactivate': rule('user-lifecycle', true),
  'user.lifecycle.suspend': rule('user-lifecycle', true),
  'user.lifecycle.unsuspend': rule('user-lifecycle'),
  'user.lifecycle.delete.initiated': rule('user-lifecycle', true),
  'application.user_membership.add': rule('app-membership', true),
  'application.user_membership.remove': rule('app-membership'),
  // Okta's catalog (developer docs data/event-types.json) tags it `app` only, not `event-hook-eligible`: a hook
  // can't subscribe to it, so it comes from the System Log catch-up.
  'application.user_membership.change_username': rule('app-membership', false, false, {
    hookEligible: false,
    identityHint: 'username-changed',
  }),
  // Carries the changed attribute names only (debugData.changedAttributes); see profileUpdateDecision.
  'user.account.update_profile': rule('profile-update', false, false, { identityHint: 'profile-changed' }),
  'application.lifecycle.update': rule('app-config'),
  'application.lifecycle.deactivate': rule('app-config'),
  'application.lifecycle.delete': rule('app-config'),
  reconcile: rule('reconcile'),
  'reconcile.set-user-type': rule('reconcile'),
  'reconcile.assign': rule('reconcile'),
  'reconcile.unassign': rule('reconcile', true, true),
} as const satisfies Record<string, EventRule>;

export type TriggerType = keyof typeof EVENT_RULES;

/** The rule for a trigger type; undefined for a type the product does not act on (or `constructor` and the like). */
export function eventRule(eventType: string): EventRule | undefined {
  return Object.hasOwn(EVENT_RULES, eventType) ? EVENT_RULES[eventType as TriggerType] : undefined;
}

function typesWhere(keep: (r: EventRule) => boolean): readonly string[] {
  return Object.entries(EVENT_RULES as Record<string, EventRule>)
    .filter(([, r]) => keep(r))
    .map(([type]) => type);
}

/** The hook-eligible event types the receiver acts on: what an event hook subscription for this product lists. */
export const SUBSCRIBED_EVENT_TYPES: readonly string[] = typesWhere(
  (r) => r.category !== 'reconcile' && r.hookEligible,
);

/** Every event type the product acts on, hook-eligible or not: what the System Log catch-up reads. */
export const LOG_EVENT_TYPES: readonly string[] = typesWhere((r) => r.category !== 'reconcile');

/** The `application.lifecycle.*` event types that make the app guard look at the Frontline app at once. */
export const APP_CONFIG_EVENT_TYPES: readonly string[] = typesWhere((r) => r.category === 'app-config');

/** Triggers after which an assignment appLinks does not show is still removed (see desired-state.ts). */
export const REMOVAL_EVENT_TYPES: readonly string[] = typesWhere((r) => r.removal);

export function isRemovalTrigger(eventType: string): boolean {
  return eventRule(eventType)?.removal ?? false;
}

export function isLeftGroupTrigger(eventType: string): boolean {
  return eventRule(eventType)?.leftGroup ?? false;
}

export function isAppConfigEvent(eventType: string): boolean {
  return eventRule(eventType)?.category === 'app-config';
}

/** The strongest identity hint among the triggers (`username-changed` over `profile-changed`), if any. */
export function identityHintOf(eventTypes: readonly string[]): IdentityHint | undefined {
  const hints = eventTypes.map((t) => eventRule(t)?.identityHint);
  if (hints.includes('username-changed')) return 'username-changed';
  return hints.includes('profile-changed') ? 'profile-changed' : undefined;
}

export interface SelectionTarget {
  /** The Frontline groups: a membership change in any of them is work. */
  groupIds: readonly string[];
  /** The Frontline SAML app; without it, app events are ignored. */
  appId?: string | undefined;
  /** Profile attributes whose change is an identity hint. @default USERNAME_SOURCE_ATTRIBUTES */
  userNameAttributes?: readonly string[] | undefined;
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

function targetOfType(event: LogEvent, type: string): LogTarget | undefined {
  return event.target.find((t) => t.type === type);
}

type Decision = { userId: string } | { ignore: string } | { appConfig: true };

function userDecision(user: LogTarget | undefined): Decision {
  if (!user?.id) return { ignore: 'no User target' };
  // Never let an event choose the URL path the worker calls (`..`, `me`…): only a real Okta id becomes work.
  if (!isOktaId(user.id)) return { ignore: 'User target id is not an Okta id' };
  return { userId: user.id };
}

function decide(event: LogEvent, target: SelectionTarget): Decision {
  const category = eventRule(event.eventType)?.category;
  const outcome = event.outcome?.result;
  if (category === undefined || category === 'reconcile') return { ignore: 'event type not handled' };
  // A failed or denied action changed nothing in Okta, so there is nothing to converge.
  if (outcome === 'FAILURE' || outcome === 'DENY') return { ignore: `outcome ${outcome}` };

  if (category === 'group-membership') {
    const group = targetOfType(event, 'UserGroup');
    if (!group?.id) return { ignore: 'no UserGroup target' };
    if (!target.groupIds.includes(group.id)) return { ignore: 'other group' };
    const user = targetOfType(event, 'User');
    return userDecision(user);
  }
  if (category === 'user-lifecycle') {
    const user = targetOfType(event, 'User');
    return userDecision(user);
  }
  if (category === 'profile-update') return profileUpdateDecision(event, target);
  if (!target.appId) return { ignore: 'no Frontline app configured' };
  const app = targetOfType(event, 'AppInstance');
  if (!app?.id) return { ignore: 'no AppInstance target' };
  if (app.id !== target.appId) return { ignore: 'other app' };
  if (category === 'app-config') return { appConfig: true };
  // The AppUser target's id is the assignment's own id (0ua…), not the Okta user id (00u…), so only the User
  // target can name the user; without it the periodic reconcile is what catches the change.
  const user = targetOfType(event, 'User');
  return userDecision(user);
}

/**
 * A profile update is work only when it may have changed the user's app username: when the attributes it names
 * include one a username template reads. One that names none is taken as a hint: it can't be told.
 */
function profileUpdateDecision(event: LogEvent, target: SelectionTarget): Decision {
  const changed = changedAttributesOf(event);
  const watched = target.userNameAttributes ?? USERNAME_SOURCE_ATTRIBUTES;
  if (changed && !changed.some((a) => watched.includes(a)))
    return { ignore: 'no username attribute changed' };
  return userDecision(targetOfType(event, 'User'));
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
  // No prototype: event types are Okta's (or an attacker's) strings, and `constructor` or `__proto__` must count
  // like any other type instead of reading or replacing Object.prototype's members.
  const counts = Object.create(null) as Record<string, number>;
  for (const { eventType } of ignored) counts[eventType] = (counts[eventType] ?? 0) + 1;
  return counts;
}
