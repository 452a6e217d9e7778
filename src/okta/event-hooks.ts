import { oktaJson, type RawOktaClient } from './http';
import { OktaPermanentError } from './errors';
import { probeReceiver } from './hook-probe';

/**
 * The Okta event hook that feeds the receiver. Registration is idempotent: a hook with the same name or the same URL
 * is updated in place (Okta allows 25 hooks per org; duplicates would deliver every event twice), then verified
 * (Okta calls the receiver's GET challenge) and activated. Only ACTIVE + VERIFIED hooks receive events.
 *
 * A working hook is never broken: before anything is written the receiver is called with a verification challenge
 * and the new URL and secret (as Okta would call it); a wrong answer changes nothing. When Okta's own verification
 * fails after an update, the previous URL, events and name are put back and verified again.
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
  channel?: {
    config?: {
      uri?: string;
      headers?: { key: string; value: string }[];
      authScheme?: { type?: string; key?: string } | null;
    };
  };
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

/** `hook register` refused or rolled back; the message says why and what state the hook is in. */
export class HookRegistrationError extends Error {
  public constructor(
    message: string,
    /** `unchanged`: nothing was written; `restored`: the previous configuration is back and verified. */
    public readonly hookState: 'unchanged' | 'restored' | 'not-restored',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HookRegistrationError';
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

/** The hook a spec updates: same name and URL, else same name, else same URL (never a second one). */
export function findHookFor(hooks: readonly RawEventHook[], spec: EventHookSpec): RawEventHook | undefined {
  return (
    hooks.find((h) => h.name === spec.name && h.channel?.config?.uri === spec.url) ??
    hooks.find((h) => h.name === spec.name) ??
    hooks.find((h) => h.channel?.config?.uri === spec.url)
  );
}

/** Creates or updates the hook (never a second one for the same name or URL). Does not verify or activate. */
export async function upsertEventHook(
  client: RawOktaClient,
  spec: EventHookSpec,
  existing?: RawEventHook,
): Promise<RegisterResult> {
  validateHookSpec(spec);
  const target = existing ?? findHookFor(await listEventHooks(client), spec);
  if (target) {
    // Always PUT: the secret is write-only, so only sending it makes sure Okta has the current one.
    const hook = await oktaJson<RawEventHook>(
      client,
      `/api/v1/eventHooks/${target.id}`,
      `update event hook ${target.id}`,
      { method: 'PUT', body: hookBody(spec) },
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

/**
 * Probe the receiver, upsert, verify, activate (if needed), and read back: the hook is ACTIVE and VERIFIED when this
 * resolves. Throws HookRegistrationError when the receiver refuses the new values (nothing written) or when Okta's
 * verification fails after an update (the previous configuration put back; `previousSecret`, the receiver's
 * OKTA_HOOK_SECRET_PREVIOUS, is tried for it when the old receiver refuses the current secret).
 */
export async function registerEventHook(
  client: RawOktaClient,
  spec: EventHookSpec,
  options: { previousSecret?: string | undefined } = {},
): Promise<RegisterResult & { verified: boolean; active: boolean }> {
  validateHookSpec(spec);
  const existing = findHookFor(await listEventHooks(client), spec);
  const probe = await probeReceiver(spec, existing ? 'the new secret' : 'the secret');
  if (!probe.ok) {
    const state = existing ? `event hook ${existing.id} not changed` : 'no event hook created';
    throw new HookRegistrationError(`${state}: ${probe.reason}`, 'unchanged');
  }
  const { action, hook } = await upsertEventHook(client, spec, existing);
  try {
    await verifyEventHook(client, hook.id);
  } catch (err) {
    if (!existing || !(err instanceof OktaPermanentError)) throw err;
    throw await restorePrevious(client, existing, spec, options.previousSecret, err);
  }
  return { action, ...(await activated(client, hook.id)) };
}

async function activated(client: RawOktaClient, hookId: string) {
  let current = await getEventHook(client, hookId);
  if (current.status !== 'ACTIVE') {
    await activateEventHook(client, hookId);
    current = await getEventHook(client, hookId);
  }
  return {
    hook: current,
    verified: current.verificationStatus === 'VERIFIED',
    active: current.status === 'ACTIVE',
  };
}

/** Puts the hook's previous URL, events and name back with a secret its receiver accepts, and has Okta verify it. */
async function restorePrevious(
  client: RawOktaClient,
  previous: RawEventHook,
  spec: EventHookSpec,
  previousSecret: string | undefined,
  cause: OktaPermanentError,
): Promise<HookRegistrationError> {
  const url = previous.channel?.config?.uri ?? spec.url;
  const authHeader = previous.channel?.config?.authScheme?.key ?? spec.authHeader;
  const failed = `Okta could not verify ${spec.url} after the update (${cause.message})`;
  // Okta never returns a hook's secret, so the previous one is whichever the old receiver still accepts.
  for (const secret of [spec.secret, previousSecret]) {
    if (secret === undefined || secret === '') continue;
    if (!(await probeReceiver({ url, authHeader, secret }, 'the secret')).ok) continue;
    const body = hookBody({ ...spec, name: previous.name ?? spec.name, url, authHeader, secret });
    if (previous.events?.items) body.events = { type: 'EVENT_TYPE', items: [...previous.events.items] };
    await oktaJson(client, `/api/v1/eventHooks/${previous.id}`, `restore event hook ${previous.id}`, {
      method: 'PUT',
      body,
    });
    try {
      await verifyEventHook(client, previous.id);
    } catch (err) {
      if (!(err instanceof OktaPermanentError)) throw err;
      return new HookRegistrationError(
        `${failed}; put the previous configuration (${url}) back, but Okta could not verify it either (${err.message})`,
        'not-restored',
        { cause },
      );
    }
    if (previous.status === 'ACTIVE') await activated(client, previous.id);
    return new HookRegistrationError(
      `${failed}; put the previous configuration (${url}) back and Okta verified it. Make ${spec.url} reachable from Okta, then register again.`,
      'restored',
      { cause },
    );
  }
  return new HookRegistrationError(
    `${failed}; the previous configuration could not be put back: the receiver at ${url} accepts neither ` +
      'OKTA_HOOK_SECRET nor OKTA_HOOK_SECRET_PREVIOUS (Okta never returns a hook’s secret). Deliveries are stopped ' +
      'until `hook register` succeeds.',
    'not-restored',
    { cause },
  );
}
