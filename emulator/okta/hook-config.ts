import { validation } from './errors';
import { EVENT_HOOK_ELIGIBLE } from './event-hook-catalog';
import type { EventHookRecord, Org } from './org/records';

/** Reserved headers a hook may not set; Okta's docs name `Accept` ("some reserved headers, such as Accept"). */
const RESERVED_HEADERS = ['accept'];

export type ParsedHook = Omit<
  EventHookRecord,
  'id' | 'created' | 'createdBy' | 'status' | 'verificationStatus' | 'lastUpdated'
>;

/** Validates a create/replace body and returns the record's fields. */
export function parseHook(org: Org, body: Record<string, unknown>, existing?: EventHookRecord): ParsedHook {
  const causes: string[] = [];
  const name = body.name;
  // Okta's Event Hook object: name 1–255 characters and unique in the org.
  if (typeof name !== 'string' || name.trim() === '') causes.push('name: The field cannot be left blank');
  else if (name.length > 255) causes.push('name: The field cannot exceed 255 characters');
  else if ([...org.eventHooks.values()].some((h) => h.name === name && h.id !== existing?.id))
    causes.push('name: An object with this field already exists in the current organization');
  const events = body.events as { type?: unknown; items?: unknown; filter?: unknown } | undefined;
  const items = Array.isArray(events?.items) ? (events.items as unknown[]) : [];
  if (events?.type !== 'EVENT_TYPE') causes.push('events.type: must be EVENT_TYPE');
  if (!items.length) causes.push('events.items: The field cannot be left blank');
  for (const item of items)
    // Okta refuses the whole hook (400 E0000001, one cause per item) for a type outside the eligible catalog.
    if (typeof item !== 'string' || !EVENT_HOOK_ELIGIBLE.has(item))
      causes.push(`events.items: ${String(item)} is not an event type that is eligible for event hooks`);
  const channel = body.channel as
    { type?: unknown; version?: unknown; config?: Record<string, unknown> } | undefined;
  const config = channel?.config ?? {};
  if (channel?.type !== 'HTTP') causes.push('channel.type: must be HTTP');
  if (typeof channel?.version !== 'string') causes.push('channel.version: The field cannot be left blank');
  const uri = config.uri;
  if (typeof uri !== 'string' || uri === '')
    causes.push('channel.config.uri: The field cannot be left blank');
  else if (uri.length > 1024) causes.push('channel.config.uri: must be at most 1024 characters');
  else if (!isAllowedUri(uri)) causes.push('channel.config.uri: must use https');
  const headers = Array.isArray(config.headers)
    ? (config.headers as { key?: unknown; value?: unknown }[])
    : [];
  for (const h of headers)
    if (typeof h.key !== 'string' || typeof h.value !== 'string')
      causes.push('channel.config.headers: key and value are required');
    // Okta disallows "some reserved headers, such as Accept".
    else if (RESERVED_HEADERS.includes(h.key.toLowerCase()))
      causes.push(`channel.config.headers: ${h.key} is a reserved header`);
  const auth = config.authScheme as { type?: unknown; key?: unknown; value?: unknown } | null | undefined;
  let authScheme: EventHookRecord['channel']['config']['authScheme'] = null;
  if (auth) {
    if (auth.type !== 'HEADER') causes.push('channel.config.authScheme.type: must be HEADER');
    if (typeof auth.key !== 'string' || auth.key === '')
      causes.push('channel.config.authScheme.key: The field cannot be left blank');
    // The value is write-only; a replace that leaves it out keeps the stored one for the same header.
    const value =
      typeof auth.value === 'string'
        ? auth.value
        : existing?.channel.config.authScheme?.key.toLowerCase() === String(auth.key).toLowerCase()
          ? existing.channel.config.authScheme.value
          : undefined;
    if (value === undefined || value === '')
      causes.push('channel.config.authScheme.value: The field cannot be left blank');
    authScheme = { type: 'HEADER', key: String(auth.key), value: String(value) };
  }
  if (causes.length) throw validation(causes);
  return {
    name: String(name),
    description: typeof body.description === 'string' ? body.description : null,
    events: { type: 'EVENT_TYPE', items: items as string[], filter: events?.filter ?? null },
    channel: {
      type: 'HTTP',
      version: String(channel?.version),
      config: {
        uri: String(uri),
        headers: headers.map((h) => ({ key: String(h.key), value: String(h.value) })),
        authScheme,
      },
    },
  };
}

export function hookHeaders(hook: EventHookRecord): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': 'Okta Event Hooks (emulator)' };
  for (const h of hook.channel.config.headers) headers[h.key.toLowerCase()] = h.value;
  const auth = hook.channel.config.authScheme;
  if (auth) headers[auth.key.toLowerCase()] = auth.value;
  return headers;
}

/** Okta requires https; the emulator also allows plain http to loopback so local receivers and tests work. */
function isAllowedUri(uri: string): boolean {
  try {
    const u = new URL(uri);
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}
