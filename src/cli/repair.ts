import { createGuardContext, resolveAppId, rulesOf } from './context';
import { repairApp } from '../app-guard/repair';
import { restoreGroupAssignments } from '../reconcile/assignments';
import { USERNAME_TEMPLATE_PATH, type Finding } from '../domain/app-config';
import {
  CLAIM_PATH,
  DUPLICATE_CLAIM_PATH,
  type DuplicateResolution,
  type FederatedClaim,
} from '../domain/federated-claims';
import { EXIT, findingsTable, parseCommandArgs, runCommand, show, table } from './output';
import type { RepairDocument } from './documents';

const HELP = `Usage: npm run cli -- repair [--username-template] [--remove-duplicate-claims] [--adopt] [--label <label>] [--json]

Fixes the Frontline app's failing settings (only those), PUTs it back, re-reads and verifies. A wrong federated
claim (email, roles) is fixed where it lives: the claim is PUT back with the expression Frontline needs.
  --username-template  also set the app's username template to FRONTLINE_USERNAME_TEMPLATE. Every agent's
                       username (their Frontline identity) then changes: existing assignments keep theirs until
                       \`reconcile --fix-usernames\` moves them.
  --remove-duplicate-claims
                       delete the federated claims that define email or roles a second time (beside the legacy
                       attribute statement, or another claim); the legacy statement is kept (else the first right
                       claim). Okta does not document which of the two it sends, so this is never done unasked.
  --adopt              take over an app that is not Frontline's (another SAML app, a bookmark): without it such an
                       app is refused and nothing is written, since rewriting it breaks its sign-in for everyone
Exit 0: valid afterwards. Exit 2: Okta did not keep some values, or a held finding remains. Exit 1: error.`;

const resolution = (f: Finding) => f.expected as DuplicateResolution;

/** What the repair did to the federated claims, one line each. */
function claimLines(before: readonly Finding[]): string[] {
  const lines: string[] = [];
  for (const f of before) {
    if (CLAIM_PATH.test(f.path)) {
      const wrong = (Array.isArray(f.actual) ? f.actual : [f.actual]) as FederatedClaim[];
      const { expression } = f.expected as { expression: string };
      for (const c of wrong)
        lines.push(`Federated claim "${c.name}" (${c.id}): ${c.expression} → ${expression}.`);
    } else if (DUPLICATE_CLAIM_PATH.test(f.path)) {
      const { keep, remove } = resolution(f);
      lines.push(`Removed the duplicate federated claim(s) ${remove.join(', ')}; kept ${keep}.`);
    }
  }
  return lines;
}

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, {
      label: { type: 'string' },
      'username-template': { type: 'boolean' },
      'remove-duplicate-claims': { type: 'boolean' },
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
      // What Frontline's console holds: a different issuer is put back to it.
      recordedIdpIssuer: await ctx.fingerprints.getIdpIssuer?.(appId),
      userNameTemplate: values['username-template'] === true,
      removeDuplicateClaims: values['remove-duplicate-claims'] === true,
      adopt: values.adopt === true,
    });
    const { policy } = ctx.settings;
    // Okta's deactivation took the groups' members' assignments away: put them back with the app (group mode).
    const restored = ((await restoreGroupAssignments(ctx.okta, appId, policy, result)) ?? [])
      .filter((g) => g.action === 'assigned-again')
      .map((g) => g.groupId);
    const doc: RepairDocument = { ...result, groupsAssignedAgain: restored };
    out.result(doc);
    for (const groupId of restored)
      out.line(`Group ${groupId} assigned to the app again: Okta gives its members their assignments back.`);
    const heldFindings = result.after.filter((f) => !result.notKept.includes(f));
    const held = heldFindings.find((f) => f.path === USERNAME_TEMPLATE_PATH);
    if (held) {
      out.line(
        `App ${appId}: the username template is ${show(held.actual)}, FRONTLINE_USERNAME_TEMPLATE pins ${show(held.expected)}; left as is. ` +
          'Changing it gives every agent a new Frontline identity: run `repair --username-template` to do it, ' +
          'or unset FRONTLINE_USERNAME_TEMPLATE to keep the app’s.',
      );
    }
    const duplicates = heldFindings.filter((f) => DUPLICATE_CLAIM_PATH.test(f.path));
    // The finding's message names what Okta leaves undocumented and what the flag would delete and keep.
    for (const f of duplicates) out.line(`App ${appId}: ${f.message}. Left as is until asked.`);
    const holding = held !== undefined || duplicates.length > 0;
    if (result.before.length === 0) {
      if (!holding) out.line(`App ${appId}: nothing to repair.`);
      return holding ? EXIT.drift : EXIT.ok;
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
    const claims = claimLines(result.before);
    if (claims.length > 0) out.line(`\n${claims.join('\n')}`);
    if (result.notKept.length > 0) {
      out.line(`\nOkta did not keep ${result.notKept.length} value(s); the app is still invalid:\n`);
      out.line(findingsTable(result.after));
      return EXIT.drift;
    }
    if (holding) return EXIT.drift;
    out.line('\nVerified: the app now passes every rule.');
    return EXIT.ok;
  });
};
