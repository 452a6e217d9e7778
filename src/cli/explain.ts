import { eventRule } from '../domain/hook-events';
import { createGuardContext, resolveAppId, rulesOf } from './context';
import { createOktaDirectory } from '../okta/directory';
import { explainUser } from '../ops/explain';
import { observeSettingsOf } from '../worker/observe';
import type { ExplainDocument } from './documents';
import { recordedUserTypeReader } from './frontline-records';
import { EXIT, UsageError, parseCommandArgs, runCommand } from './output';

const HELP = `Usage: npm run cli -- explain <userId|login> [--event <eventType>]… [--records-table <name>] [--label <label>] [--json]

Why a user has or lacks Frontline: reads the user, their groups, app links and app user, runs the same decision
the worker runs, and prints what they should have, what they have, what a convergence would change and why.
Writes nothing.
  --event  decide as for a delivery of this event type (e.g. group.user_membership.remove); repeatable.
           Without it: as for a profile update or the reconcile.
  --records-table <name>  a deployed stack's records table: read the userType recorded before onboarding there
           (without it: serve's database in FRONTLINE_DATA_DIR, when there is one)`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        event: { type: 'string', multiple: true },
        label: { type: 'string' },
        'records-table': { type: 'string' },
      },
      true,
    );
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1 || !positionals[0])
      throw new UsageError(`explain takes one user\n\n${HELP}`);
    const triggers = values.event ?? [];
    const unknown = triggers.filter((t) => !eventRule(t));
    if (unknown.length > 0)
      throw new UsageError(`--event: not an event type the receiver handles: ${unknown.join(', ')}`);
    const ctx = createGuardContext(env, { requireGroup: true, label: values.label });
    const appId = await resolveAppId(ctx.okta, ctx.settings, ctx.label);
    const report = await explainUser(
      {
        directory: createOktaDirectory(ctx.client),
        client: ctx.client,
        settings: observeSettingsOf(appId, ctx.settings.policy),
        rules: ctx.settings.realmSid ? rulesOf(ctx) : undefined,
        recordedUserType: recordedUserTypeReader(ctx.settings.dataDir, values['records-table']),
      },
      { user: positionals[0], triggers },
    );
    const doc: ExplainDocument = { ok: true, ...report };
    out.result(doc);
    const { has } = report;
    out.line(`User ${report.userId}${report.login ? ` (${report.login})` : ''}`);
    out.line(
      `  has:     status ${has.status}, ${has.inGroup ? 'in' : 'not in'} the group, userType ${has.userType ?? 'unset'}, ` +
        (has.appUser
          ? `assigned (scope ${has.appUser.scope ?? '?'}, "${has.appUser.userName ?? '?'}")`
          : 'not assigned'),
    );
    out.line(
      `  should:  ${report.should === 'assigned' ? 'userType "agent" and assigned' : report.should === 'unassigned' ? 'not assigned' : 'left as is'}`,
    );
    const change = (a: (typeof report.changes)[number]): string =>
      a.type === 'assign'
        ? `assign as "${a.userName}"`
        : a.type === 'clear-user-type' && has.recordedUserType !== null
          ? `put userType back to "${has.recordedUserType}"`
          : a.type;
    out.line(
      `  changes: ${report.changes.length === 0 ? 'none' : report.changes.map(change).join(', ')}` +
        (report.triggers.length ? ` (for ${report.triggers.join(', ')})` : ''),
    );
    if (report.skipped) out.line(`  skipped: ${report.skipped.code}: ${report.skipped.reason}`);
    out.line('  why:');
    for (const w of report.why) out.line(`    - ${w}`);
    const { frontline } = report;
    out.line(
      `  Frontline would receive: NameID ${frontline.nameId === undefined ? '(none)' : `"${frontline.nameId}"`}`,
    );
    for (const a of frontline.attributes) {
      const from = a.claimId ? ` (federated claim ${a.claimId})` : '';
      out.line(
        `    ${a.name} = ${a.value === undefined ? `(${a.problem ?? 'unknown'})` : `"${a.value}"`}${from}`,
      );
    }
    out.line(frontline.fails.length === 0 ? '  sign-in: would succeed' : '  sign-in: would fail:');
    for (const f of frontline.fails) out.line(`    - ${f}`);
    if (frontline.nameIdNotEmail) out.line(`  note: ${frontline.nameIdNotEmail}`);
    return EXIT.ok;
  });
};
