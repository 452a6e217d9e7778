import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { uuid } from './ids';

/** A System Log target, as Okta puts in `target[]`. */
export interface EventTarget {
  id: string;
  type: 'User' | 'UserGroup' | 'AppInstance' | 'AppUser' | 'EventHook';
  alternateId: string;
  displayName: string;
  detailEntry: Record<string, unknown> | null;
}

/** What a state change reports; the rest of the System Log event is filled in by `buildLogEvent`. */
export interface ChangeEvent {
  eventType: string;
  displayMessage: string;
  legacyEventType: string;
  targets: EventTarget[];
  debugData?: Record<string, unknown>;
}

export interface EventActor {
  id: string;
  type: 'User' | 'PublicClientApp';
  alternateId: string;
  displayName: string;
}

/** Who made the API call that caused the change; set by the server for each request. */
export interface RequestContext {
  requestId: string;
  actor: EventActor;
  ipAddress: string;
  userAgent: string;
  url: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** A System Log event (LogEvent) in the shape Okta sends inside an event hook envelope. */
export type LogEvent = Record<string, unknown> & { uuid: string; published: string; eventType: string };

export function buildLogEvent(change: ChangeEvent, fallbackActor: EventActor, now = new Date()): LogEvent {
  const ctx = requestContext.getStore();
  const actor = ctx?.actor ?? fallbackActor;
  const transactionId = ctx?.requestId ?? randomBytes(12).toString('base64url');
  return {
    uuid: uuid(),
    published: now.toISOString(),
    eventType: change.eventType,
    version: '0',
    displayMessage: change.displayMessage,
    severity: 'INFO',
    actor: { ...actor, detailEntry: null },
    client: {
      userAgent: { rawUserAgent: ctx?.userAgent ?? 'unknown', os: 'Unknown', browser: 'UNKNOWN' },
      zone: 'null',
      device: 'Unknown',
      id: null,
      ipAddress: ctx?.ipAddress ?? '127.0.0.1',
      geographicalContext: null,
    },
    device: null,
    authenticationContext: {
      authenticationProvider: null,
      credentialProvider: null,
      credentialType: null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: 'trs' + transactionId.slice(0, 17),
    },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    outcome: { result: 'SUCCESS', reason: null },
    target: change.targets,
    transaction: { type: 'WEB', id: transactionId, detail: {} },
    debugContext: {
      debugData: {
        requestId: transactionId,
        requestUri: ctx ? new URL(ctx.url).pathname : null,
        url: ctx ? new URL(ctx.url).pathname + new URL(ctx.url).search : null,
        ...change.debugData,
      },
    },
    legacyEventType: change.legacyEventType,
    request: {
      ipChain: [
        { ip: ctx?.ipAddress ?? '127.0.0.1', geographicalContext: null, version: 'V4', source: null },
      ],
    },
  };
}
