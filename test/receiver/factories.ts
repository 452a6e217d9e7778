import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GROUP_ID = '00g1frontline000000x1';
export const APP_ID = '0oa1frontline000000x1';
export const SECRET = 'hook-secret-current-0123456789';
export const PREVIOUS_SECRET = 'hook-secret-previous-0123456789';

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `hook-${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

let sequence = 0;

/** A System Log event as Okta puts it in an event hook delivery. */
export function logEvent(
  eventType: string,
  targets: { id: string; type: string }[] | null,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  sequence += 1;
  return {
    uuid: `evt-${sequence.toString().padStart(6, '0')}`,
    published: new Date(Date.UTC(2026, 10, 27, 12, 0, 0, sequence)).toISOString(),
    eventType,
    version: '0',
    severity: 'INFO',
    actor: { id: '00uadmin000000000000', type: 'User' },
    outcome: { result: 'SUCCESS', reason: null },
    target: targets,
    ...overrides,
  };
}

export const groupAdd = (userId: string, groupId = GROUP_ID, overrides: Record<string, unknown> = {}) =>
  logEvent(
    'group.user_membership.add',
    [
      { id: userId, type: 'User' },
      { id: groupId, type: 'UserGroup' },
    ],
    overrides,
  );

export const groupRemove = (userId: string, groupId = GROUP_ID, overrides: Record<string, unknown> = {}) =>
  logEvent(
    'group.user_membership.remove',
    [
      { id: groupId, type: 'UserGroup' },
      { id: userId, type: 'User' },
    ],
    overrides,
  );

export function envelope(events: unknown[]): Record<string, unknown> {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://example.okta.com/api/v1/eventHooks/who1',
    eventId: `delivery-${++sequence}`,
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    data: { events },
  };
}

/** An API Gateway HTTP API (payload v2) request. */
export function httpEvent(options: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/okta/event-hook';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: options.headers ?? {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1',
      domainName: 'api1.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'api1',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'Okta Hooks' },
      requestId: `req-${++sequence}`,
      routeKey: '$default',
      stage: '$default',
      time: '27/Nov/2026:12:00:00 +0000',
      timeEpoch: 1_795_780_800_000,
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(options.body !== undefined ? { body: options.body } : {}),
  };
}

export const delivery = (body: unknown, headers: Record<string, string> = { authorization: SECRET }) =>
  httpEvent({ method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
