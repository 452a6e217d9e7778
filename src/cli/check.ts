import { checkApp } from '../app-guard/check';
import { DUPLICATE_CLAIM_PATH } from '../domain/federated-claims';
import { IDP_ISSUER_PATH, idpIssuerOf } from '../domain/app-config';
import { createGuardContext, resolveAppId, rulesOf } from './context';
import { describeIdentity } from '../reconcile/identity';
import { describeIdentityCheck, identityCheck } from './identity-changes';
import { effectiveUserNameTemplate, tryFindIdentityDrift } from '../domain/identity-drift';
import { scopeGuard, type ScopeGuardReport } from '../domain/scope-guard';
import {
  describeScope,
  groupAssignments as groupAssignmentsOf,
  listAssignments,
  type GroupAssignmentState,
} from '../reconcile/assignments';
import { withoutPem, type CheckDocument } from './documents';
import { EXIT, findingsTable, parseCommandArgs, runCommand } from './output';

const HELP = `Usage: npm run cli -- check [--confirm-certificate [--records-table <name>]] [--label <label>] [--json]

Checks the Frontline SAML app against the rules for FRONTLINE_REALM_SID and its signing certificate; with
FRONTLINE_GROUP_ID (or FRONTLINE_GROUP_IDS) also the assignments: usernames against the template (reported), scopes
that contradict FRONTLINE_ASSIGNMENT_MODE (the scope guard) and, in group mode, that each group is assigned to the app.
A signing certificate with fewer than CERTIFICATE_EXPIRY_WARNING_DAYS (default 30) days left is a finding that
names the next step of \`cert rotate\`.
Exit 0: valid. Exit 2: findings. Exit 1: error.
  --confirm-certificate  record the current certificate, and the app's IdP issuer, as pasted into Frontline
                         (clears "certificate changed" and an issuer finding)
  --records-table <name> a deployed stack's records table (output RecordsTableName): read and record the
                         confirmed certificate there, with this shell's AWS credentials
With no certificate on record yet, the current one is recorded as the baseline (as \`setup\` does) where records
are kept already (the records table, or serve's database in FRONTLINE_DATA_DIR); without --confirm-certificate,
check never creates that database.`;

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
      requireRealm: true,
      label: values.label,
      recordsTable: values['records-table'],
    });
    const rules = rulesOf(ctx);
    const appId = await resolveAppId(ctx.okta, ctx.settings, ctx.label);
    const now = new Date();
    const confirmed = await ctx.fingerprints.get(appId);
    let result = await checkApp(ctx.okta, {
      appId,
      rules,
      lastConfirmedFingerprint: confirmed,
      recordedIdpIssuer: await ctx.fingerprints.getIdpIssuer?.(appId),
      now,
      expiryWarningDays: ctx.settings.certificateExpiryWarningDays,
    });
    let baseline: CheckDocument['baseline'];
    // No record yet: the certificate Okta signs with now is the baseline (setup records the one it prints the same
    // way), but only where records are kept already: a check never creates the database. --confirm-certificate
    // accepts a changed one after it was re-pasted, creating the database if need be.
    const recordBaseline = confirmed === undefined && ctx.fingerprintsStored();
    if (result.certificate && (values['confirm-certificate'] || recordBaseline)) {
      // The issuer goes on record with it: the console holds what the app's issuer renders now.
      await ctx.fingerprints.confirm(
        appId,
        result.certificate.fingerprintSha256,
        now,
        idpIssuerOf(result.app),
      );
      baseline = confirmed === undefined ? 'recorded' : 'confirmed';
      result = {
        ...result,
        findings: result.findings.filter(
          (f) => (f.path !== 'credentials.signing.kid' || f.repairable) && f.path !== IDP_ISSUER_PATH,
        ),
        certificate: { ...result.certificate, confirmed: true },
      };
    }
    const { findings, certificate } = result;
    // With the group known: who holds the app and how. Identity drift is reported, never a finding (each of those
    // usernames is a user's Frontline identity today); a scope that contradicts the mode, or group mode's group not
    // assigned to the app, is a finding (exit 2), with what to do about it.
    const { policy } = ctx.settings;
    let identity: CheckDocument['identity'];
    let identities: CheckDocument['identities'];
    let scope: ScopeGuardReport | undefined;
    let groupAssignments: GroupAssignmentState[] = [];
    if (policy.groupIds.length > 0) {
      const listing = await listAssignments(ctx.okta, { appId, groupIds: policy.groupIds });
      identity = tryFindIdentityDrift(
        effectiveUserNameTemplate(rules.userNameTemplate, result.app),
        listing.members,
        listing.appUsers,
      );
      scope = scopeGuard(policy, listing.members, listing.appUsers);
      identities = await identityCheck(listing, {
        dataDir: ctx.settings.dataDir,
        recordsTable: values['records-table'],
      });
      if (policy.assignmentMode === 'group')
        groupAssignments = await groupAssignmentsOf(ctx.okta, appId, policy.groupIds, false);
    }
    const assignmentsOk =
      (scope?.findings.length ?? 0) === 0 && !groupAssignments.some((g) => g.action === 'would-assign');
    const doc: CheckDocument = {
      ok: findings.length === 0 && assignmentsOk,
      appId,
      findings,
      certificate: certificate && withoutPem(certificate),
      baseline,
      identity,
      identities,
      scopeGuard: scope,
      groupAssignments,
    };
    out.result(doc);
    out.line(`App ${appId} (${String(result.app.label)}) for Realm ${rules.realmSid}`);
    if (certificate) {
      out.line(
        `Signing certificate: kid ${certificate.kid}, SHA-256 ${certificate.fingerprintSha256}, expires ${certificate.expiresAt} (${certificate.daysToExpiry} days)`,
      );
    }
    if (baseline === 'recorded')
      out.line(`No certificate on record: recorded this one as the baseline in ${ctx.stateFile}.`);
    else if (certificate && confirmed === undefined && baseline === undefined)
      out.line(
        `No certificate on record (no database at ${ctx.stateFile} yet): run \`npm run cli -- check --confirm-certificate\` or \`setup\` once this one is in Frontline's console.`,
      );
    if (baseline === 'confirmed') out.line(`Certificate confirmed in ${ctx.stateFile}.`);
    for (const line of identity ? describeIdentity(identity) : []) out.line(line);
    for (const line of identities ? describeIdentityCheck(identities) : []) out.line(line);
    for (const line of scope ? describeScope(scope, groupAssignments) : []) out.line(line);
    if (findings.length === 0) {
      out.line(assignmentsOk ? 'Valid: no findings.' : 'App valid; the assignments above need attention.');
      return assignmentsOk ? EXIT.ok : EXIT.drift;
    }
    out.line(`\n${findings.length} finding(s):\n`);
    out.line(findingsTable(findings));
    out.line('');
    for (const f of findings) out.line(`- ${f.path}: ${f.message}`);
    if (certificate && !certificate.confirmed) {
      // What the operator needs to act on a changed certificate, without opening Okta's console.
      out.line(
        `\nPaste this certificate into Frontline's console (Manage > SSO/Log in > X.509 certificate):\n\n${result.certificate?.pem ?? ''}`,
      );
      out.line('Then run `npm run cli -- check --confirm-certificate` to record it as the new baseline.');
    }
    if (findings.some((f) => f.repairable))
      out.line('\nRun `npm run cli -- repair` to fix the repairable ones.');
    if (findings.some((f) => DUPLICATE_CLAIM_PATH.test(f.path)))
      out.line('A duplicate email or roles definition goes only with `repair --remove-duplicate-claims`.');
    return EXIT.drift;
  });
};
