import { checkApp } from '../guard/check';
import { createGuardContext, resolveAppId, rulesOf } from '../guard/cli-context';
import { withoutPem, type CheckDocument } from './documents';
import { EXIT, findingsTable, parseCommandArgs, runCommand } from './output';

const HELP = `Usage: npm run cli -- check [--confirm-certificate [--records-table <name>]] [--label <label>] [--json]

Checks the Frontline SAML app against the rules for FRONTLINE_REALM_SID and its signing certificate.
Exit 0: valid. Exit 2: findings. Exit 1: error.
  --confirm-certificate  record the current certificate as pasted into Frontline (clears "certificate changed")
  --records-table <name> a deployed stack's records table (output RecordsTableName): read and record the
                         confirmed certificate there, with this shell's AWS credentials`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, {
      'confirm-certificate': { type: 'boolean' },
      label: { type: 'string' },
      'records-table': { type: 'string' },
    });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const ctx = createGuardContext(env, {
      requireGroup: false,
      label: values.label,
      recordsTable: values['records-table'],
    });
    const rules = rulesOf(ctx);
    const appId = await resolveAppId(ctx.okta, ctx.settings, ctx.label);
    const now = new Date();
    const confirmed = await ctx.fingerprints.get(appId);
    let result = await checkApp(ctx.okta, { appId, rules, lastConfirmedFingerprint: confirmed, now });
    let baseline: 'unconfirmed' | 'confirmed' | undefined;
    if (result.certificate && values['confirm-certificate']) {
      await ctx.fingerprints.confirm(appId, result.certificate.fingerprintSha256, now);
      baseline = 'confirmed';
      result = {
        ...result,
        findings: result.findings.filter((f) => f.path !== 'credentials.signing.kid' || f.repairable),
        certificate: { ...result.certificate, confirmed: true },
      };
    } else if (result.certificate && confirmed === undefined) {
      // Without a record we can't tell whether Frontline has this certificate: never assume it does.
      baseline = 'unconfirmed';
      result = {
        ...result,
        findings: [
          ...result.findings,
          {
            path: 'credentials.signing.kid',
            expected: 'a certificate confirmed as pasted into Frontline',
            actual: result.certificate.fingerprintSha256,
            severity: 'risky',
            message:
              'No certificate confirmed yet: check that Frontline’s console has this certificate, then run ' +
              '`check --confirm-certificate` (setup records the certificate it prints).',
            repairable: false,
          },
        ],
      };
    }
    const { findings, certificate } = result;
    const doc: CheckDocument = {
      ok: findings.length === 0,
      appId,
      findings,
      certificate: certificate && withoutPem(certificate),
      baseline,
    };
    out.result(doc);
    out.line(`App ${appId} (${String(result.app.label)}) for Realm ${rules.realmSid}`);
    if (certificate) {
      out.line(
        `Signing certificate: kid ${certificate.kid}, SHA-256 ${certificate.fingerprintSha256}, expires ${certificate.expiresAt} (${certificate.daysToExpiry} days)`,
      );
    }
    if (baseline === 'unconfirmed') out.line(`No confirmed certificate on record in ${ctx.stateFile}.`);
    if (baseline === 'confirmed') out.line(`Certificate confirmed in ${ctx.stateFile}.`);
    if (findings.length === 0) {
      out.line('Valid: no findings.');
      return EXIT.ok;
    }
    out.line(`\n${findings.length} finding(s):\n`);
    out.line(findingsTable(findings));
    out.line('');
    for (const f of findings) out.line(`- ${f.path}: ${f.message}`);
    if (findings.some((f) => f.repairable))
      out.line('\nRun `npm run cli -- repair` to fix the repairable ones.');
    return EXIT.drift;
  });
};
