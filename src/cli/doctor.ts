import { runDoctor } from '../ops/doctor';
import type { DoctorDocument } from './documents';
import { EXIT, parseCommandArgs, runCommand } from './output';

const HELP = `Usage: npm run cli -- doctor [--receiver-url https://<host>/okta/event-hook] [--json]

The preflight before a deploy or after a change, read-only: the org URL (not the -admin host, no path), the
settings and the private key parse, the credentials work, a service app is granted the scopes the features need,
the admin role can read the group and the app and manage event hooks, the Realm SID is set, and (with
--receiver-url) the receiver answers Okta's verification challenge with OKTA_HOOK_SECRET. The secret is sent to that
URL only: https (plain http only to localhost, 127.0.0.0/8 or [::1]), and a redirect fails the check, unfollowed.
One line per check. Exit 0: no problem. Exit 1: a problem (each named).`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, { 'receiver-url': { type: 'string' } });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const report = await runDoctor(env, { receiverUrl: values['receiver-url'] });
    const problems = report.checks.filter((c) => !c.ok);
    const doc: DoctorDocument = { ok: problems.length === 0, ...report };
    out.result(doc);
    for (const c of report.checks) out.line(`${c.ok ? 'ok     ' : 'PROBLEM'} ${c.name}: ${c.message}`);
    out.line(problems.length === 0 ? '\nNo problems found.' : `\n${problems.length} problem(s).`);
    return problems.length === 0 ? EXIT.ok : EXIT.error;
  });
};
