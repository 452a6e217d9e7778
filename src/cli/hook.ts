import { SUBSCRIBED_EVENT_TYPES } from '../domain/hook-events';
import { loadSettings } from '../config/env';
import { createOktaClient } from '../okta/client';
import {
  deactivateEventHook,
  listEventHooks,
  registerEventHook,
  type RawEventHook,
} from '../okta/event-hooks';
import { EXIT, UsageError, parseCommandArgs, runCommand, type Output } from './output';
import type { HookDocument, HookStatusDocument } from './documents';

const HELP = `Usage: npm run cli -- hook register --url https://<host>/okta/event-hook [--name <name>] [--json]
       npm run cli -- hook deactivate [--name <name>] [--json]
       npm run cli -- hook status [--name <name>] [--json]

register: creates or updates the Okta event hook (same name or URL: updated, never duplicated) for the events
the receiver handles, with the auth header from OKTA_HOOK_AUTH_HEADER / OKTA_HOOK_SECRET; has Okta verify it;
activates it. It first calls the receiver with a verification challenge and the new URL and secret: when that
fails nothing changes. When Okta's verification fails after an update, the previous configuration is put back.
status: the hook's status, verification and events (exit 0 when it receives every event, 2 when not, 1 none).
deactivate: stops Okta delivering events to the hook of that name (Okta keeps it; register re-activates it).
Deploys never deactivate a hook; this is the deliberate way.`;

export const DEFAULT_HOOK_NAME = 'Frontline provisioner';

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values, positionals } = parseCommandArgs(
      args,
      { url: { type: 'string' }, name: { type: 'string' } },
      true,
    );
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    if (positionals[0] === 'deactivate' && positionals.length === 1) {
      const settings = loadSettings(env, { requireHookSecret: false, requireGroup: false });
      const client = createOktaClient({ orgUrl: settings.orgUrl, credentials: settings.credentials });
      const result = await deactivateEventHook(client, values.name ?? DEFAULT_HOOK_NAME);
      out.result({ ok: result !== undefined, hookId: result?.id, status: result?.status });
      if (!result) {
        out.error(`No event hook named "${values.name ?? DEFAULT_HOOK_NAME}".`);
        return EXIT.error;
      }
      out.line(
        `Event hook ${result.id} deactivated: ${result.status}. Okta no longer delivers events to it.`,
      );
      return EXIT.ok;
    }
    if (positionals[0] === 'status' && positionals.length === 1) {
      const settings = loadSettings(env, { requireHookSecret: false, requireGroup: false });
      const client = createOktaClient({ orgUrl: settings.orgUrl, credentials: settings.credentials });
      return hookStatus(out, await listEventHooks(client), values.name ?? DEFAULT_HOOK_NAME);
    }
    if (positionals[0] !== 'register' || positionals.length !== 1) throw new UsageError(HELP);
    if (!values.url) throw new UsageError(`--url is required\n\n${HELP}`);
    const settings = loadSettings(env, { requireHookSecret: true, requireGroup: false });
    const client = createOktaClient({
      orgUrl: settings.orgUrl,
      credentials: settings.credentials,
      maxRateLimitRetries: 3,
    });
    const result = await registerEventHook(
      client,
      {
        name: values.name ?? DEFAULT_HOOK_NAME,
        url: values.url,
        eventTypes: SUBSCRIBED_EVENT_TYPES,
        authHeader: settings.hookAuthHeader,
        secret: settings.hookSecret,
      },
      { previousSecret: settings.hookSecretPrevious },
    );
    const ok = result.verified && result.active;
    const doc: HookDocument = {
      ok,
      action: result.action,
      hookId: result.hook.id,
      status: result.hook.status,
      verificationStatus: result.hook.verificationStatus,
      url: values.url,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
    };
    out.result(doc);
    out.line(
      `Event hook ${result.hook.id} ${result.action}: ${result.hook.status}, ${result.hook.verificationStatus}.`,
    );
    out.line(`  URL: ${values.url}`);
    out.line(`  Events: ${SUBSCRIBED_EVENT_TYPES.join(', ')}`);
    if (!ok) out.error('The hook is not both ACTIVE and VERIFIED; Okta will not deliver events to it.');
    else out.line(SILENT_WINDOW_NOTE);
    return ok ? EXIT.ok : EXIT.error;
  });
};

/**
 * Okta's event hooks guide: after a hook is created or updated "it may take several minutes" before it delivers
 * (registering always updates: the secret is write-only). What changes meanwhile is not lost: the System Log
 * catch-up reads it (src/catchup/, every FRONTLINE_CATCHUP_INTERVAL seconds in serve, every minute on AWS).
 */
export const SILENT_WINDOW_NOTE =
  'Okta may take several minutes before a new or changed hook delivers events; changes made meanwhile reach the ' +
  'worker through the System Log catch-up (every minute), so none is lost.';

function hookStatus(out: Output, hooks: readonly RawEventHook[], name: string): number {
  const hook = hooks.find((h) => h.name === name);
  if (!hook) {
    out.result({ ok: false, error: { name: 'NotFound', message: `no event hook named "${name}"` } });
    out.error(`No event hook named "${name}"; run \`hook register --url …\`.`);
    return EXIT.error;
  }
  const items = hook.events?.items ?? [];
  const missing = SUBSCRIBED_EVENT_TYPES.filter((t) => !items.includes(t));
  const delivering = hook.status === 'ACTIVE' && hook.verificationStatus === 'VERIFIED';
  const doc: HookStatusDocument = {
    ok: delivering && missing.length === 0,
    hookId: hook.id,
    name,
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    url: hook.channel?.config?.uri,
    eventTypes: items,
    missingEventTypes: missing,
  };
  out.result(doc);
  out.line(`Event hook ${hook.id} "${name}": ${hook.status}, ${hook.verificationStatus}.`);
  out.line(`  URL: ${doc.url ?? '(none)'}`);
  out.line(`  Events: ${items.join(', ')}`);
  if (!delivering) out.line('Okta delivers events only to an ACTIVE, VERIFIED hook: run `hook register`.');
  if (missing.length > 0) out.line(`Not subscribed: ${missing.join(', ')}; \`hook register\` adds them.`);
  return doc.ok ? EXIT.ok : EXIT.drift;
}
