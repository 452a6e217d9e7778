import { createGuardContext, resolveAppId, rulesOf } from '../guard/cli-context';
import { repairApp } from '../guard/repair';
import { EXIT, findingsTable, parseCommandArgs, runCommand, show, table } from './output';
import type { RepairDocument } from './documents';

const HELP = `Usage: npm run cli -- repair [--label <label>] [--json]

Fixes the Frontline app's failing settings (only those), PUTs it back, re-reads and verifies.
Exit 0: valid afterwards. Exit 2: Okta did not keep some values. Exit 1: error.`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, { label: { type: 'string' } });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const ctx = createGuardContext(env, { requireGroup: false, requireRealm: true, label: values.label });
    const rules = rulesOf(ctx);
    const appId = await resolveAppId(ctx.okta, ctx.settings, ctx.label);
    const result = await repairApp(ctx.okta, { appId, rules });
    const doc: RepairDocument = result;
    out.result(doc);
    if (result.before.length === 0) {
      out.line(`App ${appId}: nothing to repair.`);
      return EXIT.ok;
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
    if (!result.ok) {
      out.line(`\nOkta did not keep ${result.notKept.length} value(s); the app is still invalid:\n`);
      out.line(findingsTable(result.after));
      return EXIT.drift;
    }
    out.line('\nVerified: the app now passes every rule.');
    return EXIT.ok;
  });
};
