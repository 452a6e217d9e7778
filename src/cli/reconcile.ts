import { SingleBar, Presets } from 'cli-progress';
import {
  planChangeCount,
  plannedUserIds,
  planStopped,
  stopReasons,
  type ReconcilePlan,
} from '../domain/reconcile-plan';
import type { AssignmentMode } from '../domain/policy';
import { createOktaDirectory } from '../okta/directory';
import { createGuardContext, resolveAppId, rulesOf } from './context';
import { applyPlan } from '../reconcile/plan';
import { runReconcile } from '../reconcile/run';
import { tryFindIdentityDrift } from '../domain/identity-drift';
import { describeIdentity, fixUserNames, userNameTemplateOf } from '../reconcile/identity';
import { EXIT, UsageError, parseCommandArgs, runCommand, table, type Output } from './output';
import type { ReconcileDocument } from './documents';
import { describeScope } from '../reconcile/assignments';
import { cliIdentityRecords, cliUserTypeMemory } from './frontline-records';

const HELP = `Usage: npm run cli -- reconcile [--dry-run] [--allow-mass-removal] [--allow-mass-grant] [--prune]
                                [--max-removal-share 0.1] [--concurrency 4] [--records-table <name>] [--json]

Lists the group's members and the app's users, plans (set userType, assign, unassign) and applies the plan.
  --dry-run             print the plan only; exit 0 when nothing would change, 2 when something would
  --allow-mass-removal  let the run unassign more than the guard allows (RECONCILE_MAX_REMOVAL_SHARE of the
                        assignments, at least 5)
  --allow-mass-grant    let the run grant Frontline to more members than the guard allows
                        (RECONCILE_MAX_GRANT_SHARE of the members, at least 5), or to the user running it: the
                        first backfill after install needs it, once; check whom with --dry-run first
  --prune               also unassign users assigned by hand who were never in the group
  --fix-usernames       also set assignments whose username differs from the template (identity drift) to the
                        template's; each such user then signs in to Frontline as a new, empty identity
  --records-table <name> a deployed stack's records table (output RecordsTableName): record there the userType
                        values the run overwrites, so the Lambda worker puts them back on removal; unset, they are
                        recorded in FRONTLINE_DATA_DIR for serve`;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values } = parseCommandArgs(args, {
      'dry-run': { type: 'boolean' },
      'allow-mass-removal': { type: 'boolean' },
      'allow-mass-grant': { type: 'boolean' },
      prune: { type: 'boolean' },
      'fix-usernames': { type: 'boolean' },
      'max-removal-share': { type: 'string' },
      concurrency: { type: 'string' },
      label: { type: 'string' },
      'records-table': { type: 'string' },
    });
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    const ctx = createGuardContext(env, { requireGroup: true, label: values.label });
    const { policy } = ctx.settings;
    // The flags override the policy for this run only; unset, the policy's own values hold.
    const share =
      values['max-removal-share'] === undefined
        ? policy.maxRemovalShare
        : Number(values['max-removal-share']);
    if (!(share >= 0 && share <= 1)) throw new UsageError('--max-removal-share must be a number from 0 to 1');
    const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      throw new UsageError('--concurrency must be an integer from 1 to 16');
    }
    const runPolicy = {
      ...policy,
      maxRemovalShare: share,
      pruneUnmanaged: values.prune === true || policy.pruneUnmanaged,
    };
    const appId = await resolveAppId(ctx.okta, ctx.settings, ctx.label);
    // Read once: the template that names the app's users (pinned, or the app's own), for the identity report, and
    // the reconcile's check that the app is Frontline's.
    const app = await ctx.okta.getApp(appId);
    const { text: templateText } = userNameTemplateOf(app, policy.pinnedUserNameTemplate);
    const tty = !json && process.stderr.isTTY === true;
    if (tty) process.stderr.write('Listing group members and app users…\n');
    const bar = tty
      ? new SingleBar(
          { format: 'Applying {bar} {value}/{total} users | {eta}s left', stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
    const directory = createOktaDirectory(ctx.client);
    const records = values['dry-run'] ? undefined : cliIdentityRecords(env, ctx.settings);
    const run = await runReconcile(
      {
        okta: ctx.okta,
        ...(records ? { records } : {}),
        sink: async (plan) => {
          bar?.start(plannedUserIds(plan).length, 0);
          const applied = await applyPlan(directory, plan, {
            appId,
            userTypes: cliUserTypeMemory(ctx.settings, values['records-table']),
            concurrency,
            onUserDone: (done) => bar?.update(done),
          });
          bar?.stop();
          return applied;
        },
      },
      {
        appId,
        policy: runPolicy,
        allowMassRemoval: values['allow-mass-removal'] === true,
        allowMassGrant: values['allow-mass-grant'] === true,
        rules: ctx.settings.realmSid ? rulesOf(ctx) : undefined,
        app,
        dryRun: values['dry-run'] === true,
      },
    );
    const { plan, scope, groupAssignments } = run;
    const identity = tryFindIdentityDrift(templateText, run.listing.members, run.listing.appUsers);
    const mode = policy.assignmentMode;
    const fixUsernames = values['fix-usernames'] === true;
    const renames = identity && 'drift' in identity && fixUsernames ? identity.drift : [];
    const changes =
      planChangeCount(plan) +
      renames.length +
      groupAssignments.filter((g) => g.action === 'would-assign').length;
    printPlan(out, plan, mode);
    if (run.identitiesRecorded !== undefined)
      out.line(`Frontline identities recorded from the app's users: ${run.identitiesRecorded}.`);
    for (const line of describeScope(scope, groupAssignments)) out.line(line);
    for (const line of identity ? describeIdentity(identity) : []) out.line(line);
    const result = run.sunk;
    if (!result || changes === 0) {
      const doc: ReconcileDocument = {
        ok: !planStopped(plan),
        dryRun: values['dry-run'] === true,
        appId,
        plan,
        scopeGuard: scope,
        groupAssignments,
        identity,
      };
      out.result(doc);
      // A dry run that would trip the guard found drift (exit 2); a real run refuses and changes nothing (exit 1).
      if (planStopped(plan)) return values['dry-run'] ? EXIT.drift : EXIT.error;
      return values['dry-run'] && changes > 0 ? EXIT.drift : EXIT.ok;
    }
    const fixedUserNames = renames.length > 0 ? await fixUserNames(ctx.okta, appId, renames) : undefined;
    const failed = result.failed.length + (fixedUserNames?.failed.length ?? 0);
    const doc: ReconcileDocument = {
      ok: failed === 0,
      dryRun: false,
      appId,
      plan,
      scopeGuard: scope,
      groupAssignments,
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
  for (const reason of stopReasons(plan)) out.error(reason);
  const rows: string[][] = [
    ...plan.setUserType.map((id) => [id, 'set userType', 'agent']),
    ...plan.assign.map((a) => [a.userId, 'assign', a.userName ?? "(the app's username template)"]),
    ...plan.unassign.map((u) => [u.userId, 'unassign', `${u.reason}${u.userName ? ` (${u.userName})` : ''}`]),
  ];
  out.line(
    `${planStopped(plan) ? 'Plan the guard stopped (nothing is applied)' : 'Plan'}: ${plan.setUserType.length} ` +
      `set userType, ${plan.assign.length} assign, ${plan.unassign.length} unassign.`,
  );
  // Reasons and usernames are shown whole: a cut-off reason is one an operator cannot act on.
  if (rows.length > 0) out.line(`\n${table(['user', 'change', 'detail'], rows, Infinity)}`);
  if (plan.grantGuard.tripped) {
    out.line(
      `\nWould gain Frontline (${plan.grantGuard.grants.length}): ${plan.grantGuard.grants.join(', ')}`,
    );
  }
  if (plan.overwrites.length > 0) {
    out.line('\nuserType overwritten with "agent" (the value it held):');
    for (const o of plan.overwrites) out.line(`  ${o.userId}: ${JSON.stringify(o.previous)}`);
  }
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
