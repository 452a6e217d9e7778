import { OktaHttpError, validation } from './errors';
import { hookHeaders, parseHook, type ParsedHook } from './hook-config';
import { buildLogEvent, type ChangeEvent, type EventActor, type LogEvent } from './events';
import { newId, nowIso, uuid } from './ids';
import type { EventHookRecord } from './org/records';
import type { EmulatorState } from './state';
import { SystemLog } from './system-log';
import type { FaultSettings, HookDeliveryRecord, HookDeliverySettings } from './types';
import { eventHookJson } from './views';

export const DEFAULT_HOOK_SETTINGS: HookDeliverySettings = {
  batchWindowMs: 50,
  maxBatchSize: 50,
  timeoutMs: 3000,
  maxRetries: 1,
  startDelayMs: 0,
};

/** Okta allows 25 event hooks per org. */
export const MAX_EVENT_HOOKS = 25;

/**
 * Turns state changes into System Log events and delivers them to ACTIVE + VERIFIED event hooks subscribed to
 * their type, as Okta does: batched, POSTed in the `com.okta.event_hook` envelope with the hook's headers and auth
 * header, a timeout (3 s), one retry on timeout or 5xx and none on 4xx. Optional faults duplicate, reorder or drop
 * batches, drawn from the emulator's seeded random source.
 */
export class HookDispatcher {
  private readonly records: HookDeliveryRecord[] = [];
  private readonly emitted: LogEvent[] = [];
  private pending: LogEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly heldBack = new Map<string, LogEvent[][]>();
  private stopped = false;

  constructor(
    private readonly state: EmulatorState,
    public settings: HookDeliverySettings,
    public faults: FaultSettings,
    private readonly random: () => number,
    private readonly orgUrl: () => string,
    /** Separate from `random` so event shaping doesn't shift the fault sequence. */
    private readonly shapeRandom: () => number = () => 0,
    /** Every emitted event also goes to the System Log, delivered or not. */
    readonly log: SystemLog = new SystemLog(faults, () => 1),
  ) {}

  onChange(change: ChangeEvent): void {
    // Okta sends membership targets in no fixed order; mixing them here keeps consumers from relying on one.
    const shaped =
      change.eventType.startsWith('group.user_membership.') && this.shapeRandom() < 0.5
        ? { ...change, targets: [...change.targets].reverse() }
        : change;
    const event = buildLogEvent(shaped, this.adminActor());
    this.emitted.push(event);
    this.log.record(event);
    if (this.stopped) return;
    this.pending.push(event);
    this.timer ??= setTimeout(() => this.dispatch(), this.settings.batchWindowMs);
  }

  adminActor(): EventActor {
    const admin = this.state.users.get(this.state.adminId);
    return {
      id: this.state.adminId,
      type: 'User',
      alternateId: String(admin?.profile.login ?? 'admin'),
      displayName:
        `${String(admin?.profile.firstName ?? '')} ${String(admin?.profile.lastName ?? '')}`.trim(),
    };
  }

  events(): LogEvent[] {
    return [...this.emitted];
  }

  deliveries(): HookDeliveryRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Sends what is pending or held back now, and waits until every delivery (with retries) has finished. */
  async flush(): Promise<void> {
    this.dispatch();
    for (const [hookId, batches] of this.heldBack) {
      const hook = this.state.eventHooks.get(hookId);
      this.heldBack.delete(hookId);
      if (hook) for (const b of batches) this.track(this.send(hook, b, 1, 'reordered'));
    }
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Drops what is pending or held back and waits for deliveries already under way (used by reset). */
  async quiesce(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.heldBack.clear();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.heldBack.clear();
    this.records.length = 0;
    this.emitted.length = 0;
    this.log.clear();
  }

  private dispatch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending;
    this.pending = [];
    if (!events.length) return;
    const now = Date.now();
    for (const hook of this.state.eventHooks.values()) {
      if (hook.status !== 'ACTIVE' || hook.verificationStatus !== 'VERIFIED') continue;
      // Within a new or changed hook's start delay its events are only in the System Log.
      if ((hook.deliversFrom ?? 0) > now) continue;
      const mine = events.filter((e) => hook.events.items.includes(e.eventType));
      for (let i = 0; i < mine.length; i += this.settings.maxBatchSize) {
        this.deliverWithFaults(hook, mine.slice(i, i + this.settings.maxBatchSize));
      }
    }
  }

  private deliverWithFaults(hook: EventHookRecord, batch: LogEvent[]): void {
    const f = this.faults;
    if (f.hookDropRate > 0 && this.random() < f.hookDropRate) {
      this.records.push({ ...this.base(hook, batch, 1), fault: 'dropped' });
      return;
    }
    if (f.hookReorderRate > 0 && this.random() < f.hookReorderRate) {
      const held = this.heldBack.get(hook.id) ?? [];
      held.push(batch);
      this.heldBack.set(hook.id, held);
      return;
    }
    const duplicate = f.hookDuplicateRate > 0 && this.random() < f.hookDuplicateRate;
    const held = this.heldBack.get(hook.id) ?? [];
    this.heldBack.delete(hook.id);
    this.track(
      (async () => {
        await this.send(hook, batch, 1);
        for (const b of held) await this.send(hook, b, 1, 'reordered');
        if (duplicate) await this.send(hook, batch, 1, 'duplicate');
      })(),
    );
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private base(hook: EventHookRecord, batch: LogEvent[], attempt: number): HookDeliveryRecord {
    return {
      hookId: hook.id,
      uri: hook.channel.config.uri,
      attempt,
      eventIds: batch.map((e) => e.uuid),
      eventTypes: batch.map((e) => e.eventType),
      time: new Date().toISOString(),
    };
  }

  private async send(
    hook: EventHookRecord,
    batch: LogEvent[],
    attempt: number,
    fault?: HookDeliveryRecord['fault'],
    // One delivery keeps its envelope `eventId` across the retry, so receivers can dedupe on it (Event hooks guide:
    // "Okta attempts at least once delivery … duplicate events can be delivered"; the retry re-sends the same request).
    eventId: string = uuid(),
  ): Promise<void> {
    const record: HookDeliveryRecord = {
      ...this.base(hook, batch, attempt),
      deliveryId: eventId,
      ...(fault ? { fault } : {}),
    };
    this.records.push(record);
    const envelope = {
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: `${this.orgUrl()}/api/v1/eventHooks/${hook.id}`,
      eventId,
      eventTime: new Date().toISOString(),
      contentType: 'application/json',
      data: { events: batch },
    };
    let retry: boolean;
    try {
      const res = await fetch(hook.channel.config.uri, {
        method: 'POST',
        headers: { ...hookHeaders(hook), 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      record.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      retry = res.status >= 500;
    } catch (err) {
      record.error =
        (err as Error).name === 'TimeoutError' ? 'timeout' : String((err as Error).message ?? err);
      retry = true;
    }
    if (record.status === undefined || record.status < 200 || record.status >= 300)
      this.logFailure(hook, record);
    if (retry && attempt <= this.settings.maxRetries && !this.stopped) {
      await this.send(hook, batch, attempt + 1, fault, eventId);
    }
  }

  /**
   * "Event hook delivery attempts that have timed-out, or been detected as having failed for any other reason, are
   * recorded in the System Log in the form of `event_hook.delivery` events" (Event hooks concept page). The event
   * names the hook, not the events that were lost.
   */
  private logFailure(hook: EventHookRecord, record: HookDeliveryRecord): void {
    const event = buildLogEvent(
      {
        eventType: 'event_hook.delivery',
        displayMessage: 'Event hook delivery',
        legacyEventType: 'event_hook.delivery',
        targets: [
          {
            id: hook.id,
            type: 'EventHook',
            alternateId: hook.name,
            displayName: hook.name,
            detailEntry: null,
          },
        ],
        debugData: { attempt: record.attempt, ...(record.status ? { responseStatus: record.status } : {}) },
      },
      this.adminActor(),
    );
    event.outcome = { result: 'FAILURE', reason: record.error ?? `HTTP ${String(record.status)}` };
    this.log.record(event);
  }

  // ---- management ---------------------------------------------------------------------------------------------

  /**
   * Okta's one-time verification: GET with the challenge header; the answer must echo it exactly. As Okta documents
   * it: 3 s timeout, one retry after a timeout or an error response, then 400.
   */
  async verify(hook: EventHookRecord): Promise<void> {
    const challenge = `${uuid()}${uuid()}`.replace(/-/g, '');
    let outcome = await this.verifyOnce(hook, challenge);
    if (outcome === 'retry') outcome = await this.verifyOnce(hook, challenge);
    if (outcome !== 'verified') {
      throw new OktaHttpError(400, 'E0000001', 'Api validation failed: Verification failed', [
        'Could not verify the event hook: the endpoint did not return the verification value.',
      ]);
    }
    hook.verificationStatus = 'VERIFIED';
    hook.lastUpdated = nowIso();
    this.changed(hook);
  }

  /** Created, changed, verified or activated: "it may take several minutes" to deliver (Event hooks guide). */
  changed(hook: EventHookRecord): void {
    hook.deliversFrom = Date.now() + this.settings.startDelayMs;
  }

  private async verifyOnce(
    hook: EventHookRecord,
    challenge: string,
  ): Promise<'verified' | 'failed' | 'retry'> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(hook.channel.config.uri, {
        method: 'GET',
        headers: {
          ...hookHeaders(hook),
          'x-okta-verification-challenge': challenge,
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      text = await res.text();
    } catch {
      return 'retry'; // timeout or network error
    }
    if (!res.ok) return 'retry';
    try {
      const body = JSON.parse(text) as { verification?: unknown } | null;
      return body?.verification === challenge ? 'verified' : 'failed';
    } catch {
      return 'failed';
    }
  }

  /** Validates a create/replace body and returns the record's fields. */
  parseHook(body: Record<string, unknown>, existing?: EventHookRecord): ParsedHook {
    return parseHook(this.state, body, existing);
  }

  createHook(body: Record<string, unknown>): EventHookRecord {
    if (this.state.eventHooks.size >= MAX_EVENT_HOOKS)
      throw validation([`Maximum number of event hooks (${MAX_EVENT_HOOKS}) reached for this org`]);
    const t = nowIso();
    const hook: EventHookRecord = {
      id: newId('who'),
      ...this.parseHook(body),
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      created: t,
      lastUpdated: t,
      createdBy: this.state.adminId,
    };
    this.changed(hook);
    this.state.eventHooks.set(hook.id, hook);
    return hook;
  }

  /** Seeds can add hooks with `status` and `verificationStatus` already set (and an `id`). */
  seedHook(body: Record<string, unknown>): void {
    const hook = this.createHook(body);
    if (typeof body.id === 'string') {
      this.state.eventHooks.delete(hook.id);
      hook.id = body.id;
      this.state.eventHooks.set(hook.id, hook);
    }
    if (body.status === 'INACTIVE') hook.status = 'INACTIVE';
    if (body.verificationStatus === 'VERIFIED') hook.verificationStatus = 'VERIFIED';
    hook.deliversFrom = 0; // a seeded hook has run for a while: no start delay
  }

  listHooks(base: string): Record<string, unknown>[] {
    return [...this.state.eventHooks.values()].map((h) => eventHookJson(base, h));
  }
}
