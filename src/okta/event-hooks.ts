import { oktaJson, type RawOktaClient } from './http';

/**
 * The Okta event hook that feeds the receiver. Registration is idempotent: a hook with the same name or the same URL
 * is updated in place (Okta allows 25 hooks per org; duplicates would deliver every event twice), then verified
 * (Okta calls the receiver's GET challenge) and activated. Only ACTIVE + VERIFIED hooks receive events.
 */

export interface EventHookSpec {
  name: string;
  /** https URL of the receiver's `/okta/event-hook` endpoint. */
  url: string;
  eventTypes: readonly string[];
  /** Header Okta sends with every delivery, `Authorization` by default. */
  authHeader: string;
  /** The header's value. Write-only in Okta: it is always sent, never read back or logged. */
  secret: string;
}

export interface RawEventHook {
  id: string;
  name?: string;
  status?: string;
  verificationStatus?: string;
  events?: { type?: string; items?: string[] };
  channel?: { config?: { uri?: string } };
}

export interface RegisterResult {
  action: 'created' | 'updated';
  hook: RawEventHook;
}

export class EventHookSpecError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'EventHookSpecError';
  }
}

export function validateHookSpec(spec: EventHookSpec): void {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new EventHookSpecError(`hook URL "${spec.url}" is not a URL`);
  }
  // Okta itself refuses http; loopback http is let through for the local emulator, which real Okta can't reach anyway.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new EventHookSpecError(`hook URL must be https (Okta refuses ${url.protocol})`);
  }
  if (spec.url.length > 1024) throw new EventHookSpecError('hook URL is longer than Okta’s 1024 characters');
  if (spec.eventTypes.length === 0) throw new EventHookSpecError('no event types to subscribe to');
}

function hookBody(spec: EventHookSpec): Record<string, unknown> {
  return {
    name: spec.name,
    events: { type: 'EVENT_TYPE', items: [...spec.eventTypes] },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: { uri: spec.url, authScheme: { type: 'HEADER', key: spec.authHeader, value: spec.secret } },
    },
  };
}

export async function listEventHooks(client: RawOktaClient): Promise<RawEventHook[]> {
  return (await oktaJson<RawEventHook[]>(client, '/api/v1/eventHooks', 'list event hooks')) ?? [];
}

/** Creates or updates the hook (never a second one for the same name or URL). Does not verify or activate. */
export async function upsertEventHook(client: RawOktaClient, spec: EventHookSpec): Promise<RegisterResult> {
  validateHookSpec(spec);
  const hooks = await listEventHooks(client);
  const existing =
    hooks.find((h) => h.name === spec.name && h.channel?.config?.uri === spec.url) ??
    hooks.find((h) => h.name === spec.name) ??
    hooks.find((h) => h.channel?.config?.uri === spec.url);
  if (existing) {
    // Always PUT: the secret is write-only, so only sending it makes sure Okta has the current one.
    const hook = await oktaJson<RawEventHook>(
      client,
      `/api/v1/eventHooks/${existing.id}`,
      `update event hook ${existing.id}`,
      {
        method: 'PUT',
        body: hookBody(spec),
      },
    );
    return { action: 'updated', hook };
  }
  const hook = await oktaJson<RawEventHook>(client, '/api/v1/eventHooks', 'create event hook', {
    method: 'POST',
    body: hookBody(spec),
  });
  return { action: 'created', hook };
}

/** Okta calls the hook URL with a one-time challenge; resolves with the hook as Okta then reports it. */
export function verifyEventHook(client: RawOktaClient, hookId: string): Promise<RawEventHook> {
  return oktaJson<RawEventHook>(
    client,
    `/api/v1/eventHooks/${hookId}/lifecycle/verify`,
    `verify event hook ${hookId}`,
    {
      method: 'POST',
    },
  );
}

export function activateEventHook(client: RawOktaClient, hookId: string): Promise<RawEventHook> {
  return oktaJson<RawEventHook>(
    client,
    `/api/v1/eventHooks/${hookId}/lifecycle/activate`,
    `activate event hook ${hookId}`,
    {
      method: 'POST',
    },
  );
}

/** Deactivates the hook of that name (Okta keeps it, inactive); undefined when there is none. */
export async function deactivateEventHook(
  client: RawOktaClient,
  name: string,
): Promise<RawEventHook | undefined> {
  const hook = (await listEventHooks(client)).find((h) => h.name === name);
  if (!hook) return undefined;
  return oktaJson<RawEventHook>(
    client,
    `/api/v1/eventHooks/${encodeURIComponent(hook.id)}/lifecycle/deactivate`,
    `deactivate event hook ${hook.id}`,
    { method: 'POST' },
  );
}

export function getEventHook(client: RawOktaClient, hookId: string): Promise<RawEventHook> {
  return oktaJson<RawEventHook>(client, `/api/v1/eventHooks/${hookId}`, `get event hook ${hookId}`);
}

/** Upsert, verify, activate (if needed), and read back: the hook is ACTIVE and VERIFIED when this resolves. */
export async function registerEventHook(
  client: RawOktaClient,
  spec: EventHookSpec,
): Promise<RegisterResult & { verified: boolean; active: boolean }> {
  const { action, hook } = await upsertEventHook(client, spec);
  await verifyEventHook(client, hook.id);
  let current = await getEventHook(client, hook.id);
  if (current.status !== 'ACTIVE') {
    await activateEventHook(client, hook.id);
    current = await getEventHook(client, hook.id);
  }
  return {
    action,
    hook: current,
    verified: current.verificationStatus === 'VERIFIED',
    active: current.status === 'ACTIVE',
  };
}
