import { createGuardContext, resolveAppId, rulesOf } from './context';
import { repairApp } from '../app-guard/repair';
import { USERNAME_TEMPLATE_PATH } from '../domain/app-config';
import { EXIT, findingsTable, parseCommandArgs, runCommand, show, table } from './output';
import type { RepairDocument } from './documents';

const HELP = `Usage: npm run cli -- repair [--username-template] [--adopt] [--label <label>] [--json]

Fixes the Frontline app's failing settings (only those), PUTs it back, re-reads and verifies.
  --username-template  also set the app's username template to FRONTLINE_USERNAME_TEMPLATE. Every agent's
                       username (their Frontline identity) then changes: existing assignments keep theirs until
                       \`reconcile --fix-usernames\` moves them.
  --adopt              take over an app that is not Frontline's (another SAML app, a bookmark): without it such an
                       app is refused and nothing is written, since rewriting it breaks its sign-in for everyone
Exit 0: valid afterwards. Exit 2: Okta did not keep some values. Exit 1: error.`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, {
      label: { type: 'string' },
      'username-template': { type: 'boolean' },
      adopt: { type: 'boolean' },
    });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const ctx = createGuardContext(env, { requireGroup: false, requireRealm: true, label: values.label });
    const rules = rulesOf(ctx);
    const appId = await resolveAppId(ctx.okta, ctx.settings, ctx.label);
    const result = await repairApp(ctx.okta, {
      appId,
      rules,
      userNameTemplate: values['username-template'] === true,
      adopt: values.adopt === true,
    });
    const doc: RepairDocument = result;
    out.result(doc);
    const held = result.after.find((f) => f.path === USERNAME_TEMPLATE_PATH && !result.notKept.includes(f));
    if (held) {
      out.line(
        `App ${appId}: the username template is ${show(held.actual)}, FRONTLINE_USERNAME_TEMPLATE pins ${show(held.expected)}; left as is. ` +
          'Changing it gives every agent a new Frontline identity: run `repair --username-template` to do it, ' +
          'or unset FRONTLINE_USERNAME_TEMPLATE to keep the app’s.',
      );
    }
    if (result.before.length === 0) {
      if (!held) out.line(`App ${appId}: nothing to repair.`);
      return held ? EXIT.drift : EXIT.ok;
    }
    const after = new Map(result.after.map((f) => [f.path, f]));
    out.line(
      `App ${appId}: ${result.before.length} setting(s) repaired${result.activated ? ' (app activated)' : ''}.\n`,
    );
    out.line(
      table(
        ['path', 'before', 'after', ''],
        result.before.map((f) => {
          const still = after.get(f.path);
          return [f.path, show(f.actual), show(still ? still.actual : f.expected), still ? 'NOT KEPT' : 'ok'];
        }),
      ),
    );
    if (result.notKept.length > 0) {
      out.line(`\nOkta did not keep ${result.notKept.length} value(s); the app is still invalid:\n`);
      out.line(findingsTable(result.after));
      return EXIT.drift;
    }
    if (held) return EXIT.drift;
    out.line('\nVerified: the app now passes every rule.');
    return EXIT.ok;
  });
};
