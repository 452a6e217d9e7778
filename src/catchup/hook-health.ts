import { listEventHooks, verifyEventHook, type RawEventHook } from '../okta/event-hooks';
import type { RawOktaClient } from '../okta/http';

/**
 * Our event hook as Okta sees it. Only an ACTIVE + VERIFIED hook receives events; anything else means every
 * change now waits for the catch-up. UNVERIFIED is repaired by asking Okta to verify again (Okta calls our
 * receiver's challenge; it only succeeds when the receiver answers, so it can't point the hook anywhere new).
 * INACTIVE is reported, never re-activated: `hook deactivate` is an operator's deliberate choice.
 */
export type HookState = 'ok' | 'missing' | 'inactive' | 'unverified';

export interface HookHealth {
  state: HookState;
  hookId?: string;
  /** UNVERIFIED was found and a verify succeeded in this run. */
  reverified?: boolean;
  /** Why the re-verification failed (Okta's message; never the secret). */
  verifyError?: string;
}

export interface HookIdentity {
  /** The hook's name, as `hook register` and the bootstrap create it. */
  name: string;
  /** The receiver's URL; a hook registered under another name but to this URL is ours too. */
  url?: string | undefined;
}

export function describeHookHealth(health: HookHealth): string | undefined {
  switch (health.state) {
    case 'ok':
      return undefined;
    case 'missing':
      return 'no Okta event hook for this receiver: run `npm run cli -- hook register`';
    case 'inactive':
      return `Okta event hook ${health.hookId} is INACTIVE: changes wait for the System Log catch-up; activate it with \`npm run cli -- hook register\``;
    case 'unverified':
      return `Okta event hook ${health.hookId} is UNVERIFIED and re-verification failed${health.verifyError ? ` (${health.verifyError})` : ''}: changes wait for the System Log catch-up`;
  }
}

function findHook(hooks: RawEventHook[], who: HookIdentity): RawEventHook | undefined {
  return (
    hooks.find((h) => h.name === who.name) ??
    (who.url ? hooks.find((h) => h.channel?.config?.uri === who.url) : undefined)
  );
}

/** Reads our hook; re-verifies an ACTIVE but UNVERIFIED one. */
export async function checkHookHealth(client: RawOktaClient, who: HookIdentity): Promise<HookHealth> {
  const hook = findHook(await listEventHooks(client), who);
  if (!hook) return { state: 'missing' };
  if (hook.status !== 'ACTIVE') return { state: 'inactive', hookId: hook.id };
  if (hook.verificationStatus === 'VERIFIED') return { state: 'ok', hookId: hook.id };
  try {
    const after = await verifyEventHook(client, hook.id);
    if (after?.verificationStatus === 'VERIFIED') return { state: 'ok', hookId: hook.id, reverified: true };
    return { state: 'unverified', hookId: hook.id, verifyError: 'Okta still reports it UNVERIFIED' };
  } catch (err) {
    return {
      state: 'unverified',
      hookId: hook.id,
      verifyError: err instanceof Error ? err.message : String(err),
    };
  }
}
