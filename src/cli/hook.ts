import { SUBSCRIBED_EVENT_TYPES } from '../domain/hook-events';
import { loadSettings } from '../config/env';
import { createOktaClient } from '../okta/client';
import { deactivateEventHook, registerEventHook } from '../okta/event-hooks';
import { EXIT, UsageError, parseCommandArgs, runCommand } from './output';
import type { HookDocument } from './documents';

const HELP = `Usage: npm run cli -- hook register --url https://<host>/okta/event-hook [--name <name>] [--json]
       npm run cli -- hook deactivate [--name <name>] [--json]

register: creates or updates the Okta event hook (same name or URL: updated, never duplicated) for the events
the receiver handles, with the auth header from OKTA_HOOK_AUTH_HEADER / OKTA_HOOK_SECRET; has Okta verify it;
activates it.
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
    if (positionals[0] !== 'register' || positionals.length !== 1) throw new UsageError(HELP);
    if (!values.url) throw new UsageError(`--url is required\n\n${HELP}`);
    const settings = loadSettings(env, { requireHookSecret: true, requireGroup: false });
    const client = createOktaClient({
      orgUrl: settings.orgUrl,
      credentials: settings.credentials,
      maxRateLimitRetries: 3,
    });
    const result = await registerEventHook(client, {
      name: values.name ?? DEFAULT_HOOK_NAME,
      url: values.url,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: settings.hookAuthHeader,
      secret: settings.hookSecret,
    });
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
    return ok ? EXIT.ok : EXIT.error;
  });
};
