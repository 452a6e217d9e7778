import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { countByType, EventHookEnvelopeSchema, selectWork, type LogEvent } from '../domain/hook-events';
import type { HookSecrets } from '../secrets/hook-secret';
import type { WorkQueue } from '../domain/work-queue';
import { secretMatches } from './auth';
import { bodyText, emptyOk, header, json, methodOf, pathOf, problem, type HttpResult } from './http';

export const EVENT_HOOK_PATH = '/okta/event-hook';
export const DEFAULT_AUTH_HEADER = 'Authorization';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/**
 * Events accepted in one delivery; more answer 413. Okta documents no maximum: its event hook page says only that
 * events close in time "are amalgamated in the array" (developer.okta.com/docs/concepts/event-hooks/, "Ongoing
 * event delivery"; the 2026-08 docs source, okta/okta-developer-docs `docs/concepts/event-hooks/index.md`, names
 * no batch size), and our emulator sends at most 50. 200 leaves room above that while bounding what one request
 * can enqueue; Okta never retries a 4xx, so a real delivery over the cap is left to the System Log catch-up.
 */
export const DEFAULT_MAX_EVENTS_PER_DELIVERY = 200;
const VERIFICATION_HEADER = 'x-okta-verification-challenge';
const ALLOW = 'GET, POST';

/** The slice of Powertools Logger the receiver uses; any structured logger with these methods will do. */
export interface ReceiverLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface ReceiverDeps {
  /** The secret(s) Okta may send; called per request, so it should cache (see CachedSecret). */
  secrets: () => Promise<HookSecrets>;
  /**
   * Fetches the secrets again after a mismatch (the secret may have been rotated since it was cached). Resolves to
   * `undefined` when it declines to (rate limit). Without it, a mismatch is a 401 straight away.
   */
  refreshSecrets?: () => Promise<HookSecrets | undefined>;
  queue: WorkQueue;
  /** The Frontline groups whose membership events are work. */
  groupIds: readonly string[];
  appId?: string | undefined;
  /** @default 'Authorization' */
  headerName?: string | undefined;
  /** @default 1 MiB */
  maxBodyBytes?: number | undefined;
  /** @default DEFAULT_MAX_EVENTS_PER_DELIVERY */
  maxEventsPerDelivery?: number | undefined;
  logger: ReceiverLogger;
  /**
   * Hook point for the app guard: `application.lifecycle.update|deactivate|delete` events for the Frontline app.
   * Called before the answer is sent, so it must be quick (enqueue, don't repair); a rejection answers 503 so
   * Okta retries. By default the events are only logged.
   */
  onAppConfigEvents?: (events: LogEvent[]) => Promise<void>;
}

export type HookReceiver = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

/** A request's single log line; everything in it is safe to log (no headers, no body, no secret). */
interface RequestLog {
  method: string;
  path: string;
  status: number;
  outcome: string;
  deliveryId?: string | undefined;
  received?: number;
  enqueued?: number;
  ignored?: number;
  ignoredByType?: Record<string, number>;
  appConfigEvents?: number;
  secretsRefreshed?: boolean;
  durationMs?: number;
  /** On failure only: what Okta will retry, so an operator can follow it. */
  eventUuids?: string[];
  userIds?: string[];
  error?: { name: string; message: string };
}

function eventCount(body: unknown): number {
  const events = (body as { data?: { events?: unknown } } | null)?.data?.events;
  return Array.isArray(events) ? events.length : 0;
}

function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error
    ? { name: err.name, message: err.message }
    : { name: 'Error', message: String(err) };
}

/**
 * The event hook endpoint as a function over API Gateway HTTP API (payload v2) events: authenticate, validate,
 * select, enqueue, answer. Nothing slow happens here; the worker does the Okta calls.
 */
export function createReceiver(deps: ReceiverDeps): HookReceiver {
  const headerName = deps.headerName ?? DEFAULT_AUTH_HEADER;
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxEvents = deps.maxEventsPerDelivery ?? DEFAULT_MAX_EVENTS_PER_DELIVERY;
  const { logger } = deps;
  const onAppConfigEvents =
    deps.onAppConfigEvents ??
    (async (events: LogEvent[]) => {
      logger.warn('Frontline app configuration event received; no app guard is wired to act on it', {
        events: events.map((e) => ({ uuid: e.uuid, eventType: e.eventType, published: e.published })),
      });
    });

  async function authenticate(event: APIGatewayProxyEventV2): Promise<{ ok: boolean; refreshed: boolean }> {
    const presented = header(event, headerName);
    if (secretMatches(presented, await deps.secrets())) return { ok: true, refreshed: false };
    // Only a request that sends *something* may trigger a refetch; an empty header can't be a rotated secret.
    if (!presented || !deps.refreshSecrets) return { ok: false, refreshed: false };
    const fresh = await deps.refreshSecrets();
    return { ok: fresh !== undefined && secretMatches(presented, fresh), refreshed: fresh !== undefined };
  }

  async function deliver(event: APIGatewayProxyEventV2, log: RequestLog): Promise<HttpResult> {
    const body = bodyText(event, maxBodyBytes);
    if (!body.ok) {
      log.outcome = 'body too large';
      return problem(413, `body exceeds ${maxBodyBytes} bytes`);
    }
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(body.text);
    } catch {
      log.outcome = 'body is not JSON';
      return problem(400, 'body is not JSON');
    }
    // Counted before the envelope is validated, so an oversized delivery costs no per-event work.
    const count = eventCount(parsedJson);
    if (count > maxEvents) {
      log.outcome = 'too many events';
      log.received = count;
      return problem(413, `delivery carries ${count} events; at most ${maxEvents} are accepted per delivery`);
    }
    const envelope = EventHookEnvelopeSchema.safeParse(parsedJson);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'body';
      log.outcome = 'not an event hook envelope';
      return problem(
        400,
        `body is not an Okta event hook delivery (${where}: ${issue?.message ?? 'invalid'})`,
      );
    }

    const events = envelope.data.data.events;
    const selection = selectWork(events, { groupIds: deps.groupIds, appId: deps.appId });
    Object.assign(log, {
      deliveryId: envelope.data.eventId ?? undefined,
      received: events.length,
      enqueued: selection.items.length,
      ignored: selection.ignored.length,
      ignoredByType: countByType(selection.ignored),
      appConfigEvents: selection.appConfigEvents.length,
    });

    try {
      if (selection.items.length > 0) await deps.queue.enqueue(selection.items);
      if (selection.appConfigEvents.length > 0) await onAppConfigEvents(selection.appConfigEvents);
    } catch (err) {
      // The only failure Okta should retry: it will, once, and converging twice is harmless.
      log.outcome = 'enqueue failed';
      log.enqueued = 0;
      log.eventUuids = [
        ...selection.items.flatMap((i) => i.triggers.map((t) => t.eventUuid)),
        ...selection.appConfigEvents.map((e) => e.uuid),
      ];
      log.userIds = selection.items.map((i) => i.userId);
      log.error = errorSummary(err);
      return problem(503, 'could not accept the delivery; retry later');
    }
    log.outcome = 'accepted';
    return emptyOk();
  }

  async function route(event: APIGatewayProxyEventV2, log: RequestLog): Promise<HttpResult> {
    if (log.path !== EVENT_HOOK_PATH) {
      log.outcome = 'unknown path';
      return problem(404, 'Not Found');
    }
    if (log.method !== 'GET' && log.method !== 'POST') {
      log.outcome = 'method not allowed';
      return problem(405, 'Method Not Allowed', { allow: ALLOW });
    }
    let auth: { ok: boolean; refreshed: boolean };
    try {
      auth = await authenticate(event);
    } catch (err) {
      // Without the secret nothing can be checked; a 5xx makes Okta try once more rather than drop the delivery.
      log.outcome = 'secret unavailable';
      log.error = errorSummary(err);
      return problem(503, 'temporarily unavailable; retry later');
    }
    if (auth.refreshed) log.secretsRefreshed = true;
    if (!auth.ok) {
      log.outcome = 'unauthorized';
      return problem(401, 'Unauthorized');
    }
    if (log.method === 'GET') {
      const challenge = header(event, VERIFICATION_HEADER);
      if (!challenge) {
        log.outcome = 'missing verification challenge';
        return problem(400, `missing ${VERIFICATION_HEADER} header`);
      }
      log.outcome = 'verified';
      return json(200, { verification: challenge });
    }
    return deliver(event, log);
  }

  return async (event) => {
    const started = performance.now();
    const log: RequestLog = { method: methodOf(event), path: pathOf(event), status: 0, outcome: '' };
    const result = await route(event, log);
    log.status = result.statusCode;
    log.durationMs = Math.round((performance.now() - started) * 100) / 100;
    if (result.statusCode >= 500) logger.error('event hook request', { ...log });
    else if (result.statusCode >= 400) logger.warn('event hook request', { ...log });
    else logger.info('event hook request', { ...log });
    return result;
  };
}
