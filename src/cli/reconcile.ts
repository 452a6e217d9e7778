import { SingleBar, Presets } from 'cli-progress';
import { planChangeCount, plannedUserIds, type ReconcilePlan } from '../domain/reconcile-plan';
import { DEFAULT_SUSPENDED_POLICY, type AssignmentMode } from '../domain/desired-state';
import { createOktaDirectory } from '../okta/directory';
import { createGuardContext, resolveAppId } from '../guard/cli-context';
import { applyPlan, buildReconcilePlan } from '../guard/reconcile';
import { renderUserName } from '../domain/username-template';
import { tryFindIdentityDrift } from '../domain/identity-drift';
import { describeIdentity, fixUserNames, userNameTemplateOf, type IdentityReport } from '../guard/identity';
import { EXIT, UsageError, parseCommandArgs, runCommand, table, type Output } from './output';
import type { ReconcileDocument } from './documents';
import { scopeGuard, type ScopeGuardReport } from '../domain/scope-guard';
import { describeScope, ensureGroupAssigned, groupAssignmentState } from '../guard/assignments';

const HELP = `Usage: npm run cli -- reconcile [--dry-run] [--allow-mass-removal] [--prune] [--max-removal-share 0.1]
                                [--concurrency 4] [--json]

Lists the group's members and the app's users, plans (set userType, assign, unassign) and applies the plan.
  --dry-run             print the plan only; exit 0 when nothing would change, 2 when something would
  --allow-mass-removal  let the run unassign more than the guard allows (10% of assignments, at least 5)
  --prune               also unassign users assigned by hand who were never in the group
  --fix-usernames       also set assignments whose username differs from the template (identity drift) to the
                        template's; each such user then signs in to Frontline as a new, empty identity`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, {
      'dry-run': { type: 'boolean' },
      'allow-mass-removal': { type: 'boolean' },
      prune: { type: 'boolean' },
      'fix-usernames': { type: 'boolean' },
      'max-removal-share': { type: 'string' },
      concurrency: { type: 'string' },
      label: { type: 'string' },
    });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const share = values['max-removal-share'] === undefined ? 0.1 : Number(values['max-removal-share']);
    if (!(share >= 0 && share <= 1)) throw new UsageError('--max-removal-share must be a number from 0 to 1');
    const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      throw new UsageError('--concurrency must be an integer from 1 to 16');
    }
    const ctx = createGuardContext(env, { requireGroup: true, label: values.label });
    const appId = await resolveAppId(ctx.okta, ctx.settings, ctx.label);
    // Assign with the username the app's own template gives, unless FRONTLINE_USERNAME_TEMPLATE pins one.
    const { text: templateText, template } = await userNameTemplateOf(
      ctx.okta,
      appId,
      ctx.settings.pinnedUserNameTemplate,
    );
    let identity: IdentityReport | undefined;
    const mode = ctx.settings.assignmentMode ?? 'user';
    const suspendedPolicy = ctx.settings.suspendedPolicy ?? DEFAULT_SUSPENDED_POLICY;
    let scope: ScopeGuardReport = { mode, findings: [] };
    const tty = !json && process.stderr.isTTY === true;
    if (tty) process.stderr.write('Listing group members and app users…\n');
    const plan = await buildReconcilePlan(ctx.okta, {
      groupId: ctx.settings.groupId,
      appId,
      userNameFor: (m) => renderUserName(template, m.profile),
      prune: values.prune === true || ctx.settings.pruneUnmanaged,
      suspendedPolicy,
      allowMassRemoval: values['allow-mass-removal'] === true,
      maxRemovalShare: share,
      assignmentMode: mode,
      onListed: (members, appUsers) => {
        identity = tryFindIdentityDrift(templateText, members, appUsers);
        scope = scopeGuard(mode, members, appUsers, { suspendedPolicy });
      },
    });
    // Group mode's precondition: the group itself is assigned to the app. A dry run only says it would assign it,
    // and so does a run whose guard tripped (most likely a wrong group id: assigning it would grant the app to all).
    let groupAssignment: ReconcileDocument['groupAssignment'];
    if (mode === 'group') {
      const groupId = ctx.settings.groupId;
      groupAssignment =
        values['dry-run'] || plan.guard.tripped
          ? await groupAssignmentState(ctx.okta, appId, groupId)
          : await ensureGroupAssigned(ctx.okta, appId, groupId);
    }
    const fixUsernames = values['fix-usernames'] === true;
    const renames = identity && 'drift' in identity && fixUsernames ? identity.drift : [];
    const changes =
      planChangeCount(plan) + renames.length + (groupAssignment?.action === 'would-assign' ? 1 : 0);
    printPlan(out, plan, mode);
    for (const line of describeScope(scope, groupAssignment)) out.line(line);
    for (const line of identity ? describeIdentity(identity) : []) out.line(line);
    if (values['dry-run'] || plan.guard.tripped || changes === 0) {
      const doc: ReconcileDocument = {
        ok: !plan.guard.tripped,
        dryRun: values['dry-run'] === true,
        appId,
        plan,
        scopeGuard: scope,
        groupAssignment,
        identity,
      };
      out.result(doc);
      // A dry run that would trip the guard found drift (exit 2); a real run refuses and changes nothing (exit 1).
      if (plan.guard.tripped) return values['dry-run'] ? EXIT.drift : EXIT.error;
      return values['dry-run'] && changes > 0 ? EXIT.drift : EXIT.ok;
    }
    const bar = tty
      ? new SingleBar(
          { format: 'Applying {bar} {value}/{total} users | {eta}s left', stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
    const directory = createOktaDirectory(ctx.client);
    bar?.start(plannedUserIds(plan).length, 0);
    const result = await applyPlan(directory, plan, {
      appId,
      concurrency,
      onUserDone: (done) => bar?.update(done),
    });
    bar?.stop();
    const fixedUserNames = renames.length > 0 ? await fixUserNames(ctx.okta, appId, renames) : undefined;
    const failed = result.failed.length + (fixedUserNames?.failed.length ?? 0);
    const doc: ReconcileDocument = {
      ok: failed === 0,
      dryRun: false,
      appId,
      plan,
      scopeGuard: scope,
      groupAssignment,
      result,
      identity,
      fixedUserNames,
    };
    out.result(doc);
    // Every planned change is accounted for: applied + skipped (incl. not attempted) + failed = planned.
    out.line(
      `\nPlanned ${changes} change(s): ${result.applied.length} applied, ${result.skipped.length} skipped, ` +
        `${result.failed.length} failed.`,
    );
    for (const s of result.skipped) out.line(`  skipped ${s.action} of ${s.userId}: ${s.reason}`);
    if (result.failed.length > 0) {
      out.line(
        table(
          ['user', 'action', 'error'],
          result.failed.map((f) => [f.userId, f.action, f.error]),
          Infinity,
        ),
      );
    }
    if (fixedUserNames) {
      out.line(`Usernames changed: ${fixedUserNames.fixed.length}; failed: ${fixedUserNames.failed.length}.`);
      for (const f of fixedUserNames.failed) out.line(`  ${f.userId}: ${f.error}`);
    }
    return failed === 0 ? EXIT.ok : EXIT.error;
  });
};

function printPlan(out: Output, plan: ReconcilePlan, mode: AssignmentMode): void {
  out.line(`Group members: ${plan.counts.members}; app users: ${plan.counts.appUsers}.`);
  if (plan.guard.tripped) out.error(plan.guard.reason ?? 'mass-removal guard tripped');
  const rows: string[][] = [
    ...plan.setUserType.map((id) => [id, 'set userType', 'agent']),
    ...plan.assign.map((a) => [a.userId, 'assign', a.userName]),
    ...plan.unassign.map((u) => [u.userId, 'unassign', `${u.reason}${u.userName ? ` (${u.userName})` : ''}`]),
  ];
  out.line(
    `${plan.guard.tripped ? 'Plan the guard stopped (nothing is applied)' : 'Plan'}: ${plan.setUserType.length} ` +
      `set userType, ${plan.assign.length} assign, ${plan.unassign.length} unassign.`,
  );
  // Reasons and usernames are shown whole: a cut-off reason is one an operator cannot act on.
  if (rows.length > 0) out.line(`\n${table(['user', 'change', 'detail'], rows, Infinity)}`);
  if (plan.mastered.length > 0) {
    out.line(
      mode === 'group'
        ? '\nProfile mastered elsewhere (not written; in group mode Okta assigns them through the group anyway, so ' +
            'they reach Frontline with no role: take them out of the group, or have their source set userType):'
        : '\nProfile mastered elsewhere (not written, not assigned):',
    );
    for (const m of plan.mastered) out.line(`  ${m.userId} (${m.source}): ${m.reason}`);
  }
  if (plan.unmanaged.length > 0) {
    out.line(
      `\nUnmanaged (assigned by hand, not in the group${plan.unassign.some((u) => u.reason === 'unmanaged-pruned') ? '; pruned' : '; kept, use --prune to remove'}):`,
    );
    for (const u of plan.unmanaged) out.line(`  ${u.userId} ${u.userName ?? ''}`);
  }
  if (plan.groupScoped.length > 0) {
    out.line(
      `\nAssigned through a group (scope GROUP), not touched: ${plan.groupScoped.map((g) => g.userId).join(', ')}`,
    );
  }
  if (plan.skipped.length > 0) {
    out.line('\nLeft alone:');
    for (const s of plan.skipped) out.line(`  ${s.userId}: ${s.reason}`);
  }
}
