import { createGuardContext } from './context';
import { gatherStatus } from './status-report';
import { describeIdentityStatus, identityStatus } from './identity-changes';
import type { StatusDocument } from './documents';
import { DEFAULT_HOOK_NAME } from './hook';
import { EXIT, parseCommandArgs, runCommand } from './output';

const HELP = `Usage: npm run cli -- status [--hook-name <name>] [--label <label>] [--json]

One read-only look: the event hook (status, verification, subscribed event types), the app check (valid or the
number of findings), the signing certificate (fingerprint, days to expiry, confirmed in Frontline or not), and
from serve's database in FRONTLINE_DATA_DIR when there is one: queue depth, dead letters, the last reconcile and
the System Log catch-up.
A certificate with fewer than CERTIFICATE_EXPIRY_WARNING_DAYS (default 30) days left needs attention, with the next
step of \`cert rotate\`.
Exit 0: all is well. Exit 2: something needs attention (listed). Exit 1: error (a part could not be read).`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, { 'hook-name': { type: 'string' }, label: { type: 'string' } });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const ctx = createGuardContext(env, { requireGroup: false, label: values.label });
    const report = await gatherStatus(ctx, {
      hookName: values['hook-name'] ?? DEFAULT_HOOK_NAME,
      now: new Date(),
    });
    const code = report.errors.length > 0 ? EXIT.error : report.attention.length > 0 ? EXIT.drift : EXIT.ok;
    const identities = report.local
      ? identityStatus(ctx.settings.dataDir, report.local.lastReconcile?.at)
      : undefined;
    const doc: StatusDocument = { ok: code === EXIT.ok, ...report, identities };
    out.result(doc);

    const { hook, app, certificate, local } = report;
    if (hook?.found) {
      out.line(`Event hook    ${hook.id}: ${hook.status}, ${hook.verificationStatus} → ${hook.url ?? '?'}`);
      out.line(
        `              ${hook.eventTypes.length} event type(s)${hook.missingEventTypes.length ? `; missing ${hook.missingEventTypes.join(', ')}` : ', all the receiver handles'}`,
      );
    } else if (hook) out.line(`Event hook    none named "${hook.name}"`);
    if (app) {
      const state = !app.checked
        ? 'not checked (no FRONTLINE_REALM_SID)'
        : app.valid
          ? 'valid'
          : `${app.findings} finding(s)`;
      out.line(`App           ${app.appId}: ${state}`);
    }
    if (certificate) {
      out.line(
        `Certificate   SHA-256 ${certificate.fingerprintSha256}, expires ${certificate.expiresAt} (${certificate.daysToExpiry} days), ${certificate.baseline}`,
      );
    }
    if (local) {
      out.line(
        `Queue         ${local.queued} queued, ${local.inFlight} in flight, ${local.dead} dead letter(s) (${local.database})`,
      );
      const r = local.lastReconcile;
      out.line(
        `Reconcile     ${r ? `${r.at}: ${r.outcome}, ${r.plannedChanges} planned change(s), ${r.enqueued} enqueued` : 'none recorded yet'}`,
      );
      if (local.catchUp)
        out.line(`Catch-up      cursor saved ${local.catchUp.updatedAt ?? '(time unknown)'}`);
      if (identities) out.line(describeIdentityStatus(identities));
    } else {
      const unreadable = report.errors.find((e) => e.part === 'local');
      out.line(
        `Queue         ${unreadable ? unreadable.message : `no local database in ${ctx.settings.dataDir} (serve has not run here)`}`,
      );
    }
    for (const e of report.errors)
      out.error(`Could not read the ${e.part === 'local' ? 'local database' : e.part}: ${e.message}`);
    if (report.attention.length > 0) {
      out.line(`\nNeeds attention:`);
      for (const a of report.attention) out.line(`  - ${a}`);
    } else if (code === EXIT.ok) out.line('\nAll well.');
    return code;
  });
};
