import { createGuardContext } from './context';
import { AppGuardError } from '../app-guard/check';
import { setupApp } from '../app-guard/setup';
import { EXIT, parseCommandArgs, runCommand } from './output';
import type { SetupDocument } from './documents';

const HELP = `Usage: npm run cli -- setup [--adopt] [--label <label>] [--json]

Creates the Frontline SAML app from FRONTLINE_REALM_SID (or takes FRONTLINE_APP_ID / the app with the label and
repairs it), then prints what Frontline's console (Manage > SSO/Log in) needs. An existing app is taken only when it
is verifiably Frontline's (a SAML app pointing at this realm, or one this tool created).
  --adopt  take over an existing app that is not (another SAML app, a bookmark): it is rewritten into Frontline's`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, { label: { type: 'string' }, adopt: { type: 'boolean' } });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const ctx = createGuardContext(env, { requireGroup: false, requireRealm: true, label: values.label });
    if (!ctx.settings.realmSid) {
      throw new AppGuardError('FRONTLINE_REALM_SID is required (Frontline console > Manage > SSO/Log in)');
    }
    const result = await setupApp(ctx.okta, {
      realmSid: ctx.settings.realmSid,
      appId: ctx.settings.appId,
      label: ctx.label,
      userNameTemplate: ctx.settings.policy.pinnedUserNameTemplate,
      fingerprints: ctx.fingerprints,
      now: new Date(),
      adopt: values.adopt === true,
      ...(ctx.settings.policy.assignmentMode === 'group'
        ? { assignmentMode: 'group' as const, groupIds: ctx.settings.policy.groupIds }
        : {}),
    });
    const doc: SetupDocument = { ok: result.repair.ok, ...result };
    out.result(doc);
    const c = result.console;
    out.line(`${result.action === 'created' ? 'Created' : 'Adopted'} app ${result.appId} ("${ctx.label}").`);
    for (const assignment of result.groupAssignments) {
      out.line(
        assignment.action === 'assigned'
          ? `Assigned group ${assignment.groupId} to the app (group mode: Okta assigns its members).`
          : `Group ${assignment.groupId} is already assigned to the app (group mode).`,
      );
    }
    if (result.repair.before.length > 0) {
      out.line(`Repaired: ${result.repair.before.map((f) => f.path).join(', ')}.`);
    }
    if (!result.repair.ok) {
      out.line(
        `Okta did not keep: ${result.repair.notKept.map((f) => f.path).join(', ')}. Run \`check\` for details.`,
      );
    }
    if (!ctx.settings.appId)
      out.line(`Set FRONTLINE_APP_ID=${result.appId} for the other commands and \`serve\`.`);
    out.line("\nPaste into Frontline's console (Manage > SSO/Log in):\n");
    out.line(`  Identity provider issuer: ${c.idpIssuer}`);
    out.line(`  SSO URL:                  ${c.idpSsoUrl}`);
    out.line(`  X.509 certificate:\n\n${c.certificatePem}`);
    out.line(`  SHA-256 fingerprint: ${c.certificate.fingerprintSha256}`);
    out.line(`  Expires:             ${c.certificate.expiresAt} (${c.certificate.daysToExpiry} days)`);
    out.line(`\nRecorded this certificate as confirmed in ${ctx.stateFile}.`);
    return result.repair.ok ? EXIT.ok : EXIT.drift;
  });
};
