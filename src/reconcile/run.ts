import type { Policy } from '../domain/policy';
import {
  planChangeCount,
  massGrantGuard,
  planReconcile,
  planStopped,
  type GroupMember,
  type ReconcilePlan,
} from '../domain/reconcile-plan';
import { scopeGuard, type ScopeGuardReport } from '../domain/scope-guard';
import { parseUserNameTemplate, renderUserName } from '../domain/username-template';
import type { GuardDirectory, RawApp } from '../app-guard/okta-port';
import { requireFrontlineApp } from '../app-guard/check';
import type { AppConfigRules } from '../domain/app-config';
import { RECONCILE_METRICS } from '../telemetry';
import {
  groupAssignments,
  membersLackingAssignment,
  listAssignments,
  type AssignmentListing,
  type GroupAssignmentState,
} from './assignments';
import { reconcileFrontline, type FrontlineReconcileDeps, type FrontlineReconcileResult } from './frontline';
import { recordListedIdentities, type IdentityRecordDeps } from './record-identities';
import { completeListing } from './plan';

export type MetricUnitName = 'Count' | 'None';

/** Where metrics go: Powertools Metrics on Lambda, nothing locally, a recorder in tests. */
export interface MetricsSink {
  addMetric(name: string, unit: MetricUnitName, value: number): void;
}

export interface ReconcileRunDeps<Sunk> {
  okta: GuardDirectory;
  /**
   * Where the plan's changes go, once the guard holds and unless it is a dry run: applied now (the CLI), or handed
   * to the worker's queue (the reconcile Lambda, serve's backstop), where the worker re-reads and converges each user.
   */
  sink: (plan: ReconcilePlan) => Promise<Sunk>;
  metrics?: MetricsSink;
  /** Also deactivate recorded leavers still active in Frontline, and record listed identities. @default off */
  frontline?: FrontlineReconcileDeps;
  /** Record listed identities only (the CLI `reconcile`), when `frontline` is not given. @default off */
  records?: IdentityRecordDeps;
  onPage?: (progress: { members: number; appUsers: number }) => void;
}

export interface ReconcileRunInput {
  appId: string;
  policy: Policy;
  /** The operator's explicit override of the mass-removal guard (`reconcile --allow-mass-removal`). */
  allowMassRemoval?: boolean;
  /** The operator's explicit override of the mass-grant guard (`reconcile --allow-mass-grant`); never scheduled. */
  allowMassGrant?: boolean;
  /** Plan and report only: the sink is not called, group assignments are only read, Frontline is not touched. */
  dryRun?: boolean;
  /** The app rules (with a Realm SID): the app must point at this realm to be reconciled; else at Twilio's. */
  rules?: Pick<AppConfigRules, 'acsUrl' | 'audience'> | undefined;
  /**
   * The app as the caller has just read it (the scheduled run's app check, the CLI for its username template), so
   * the target check costs no second read; read here when absent.
   */
  app?: RawApp | undefined;
}

export interface ReconcileRun<Sunk> {
  plan: ReconcilePlan;
  /** Assignments whose scope contradicts the mode: reported (Okta's API converts no scope), never written. */
  scope: ScopeGuardReport;
  /** Group mode: each Frontline group's assignment to the app, made where missing unless nothing may be written. */
  groupAssignments: GroupAssignmentState[];
  /** Everything listed, once, for callers that compare more (the CLI's identity report). */
  listing: AssignmentListing;
  /** What the sink answered; undefined when it was not called (dry run, a guard tripped). */
  sunk: Sunk | undefined;
  /** Undefined when Frontline offboarding is off, or nothing may be written. */
  frontline?: FrontlineReconcileResult;
  /** With Frontline offboarding on, unless a dry run: app users' identities recorded from the listing. */
  identitiesRecorded?: number;
}

/**
 * The one reconcile, for the CLI, the reconcile Lambda and serve's backstop: list the Frontline groups' members and
 * the app's users once; plan under the policy (with the mass-removal guard); run the scope guard over the same
 * listing; in group mode make sure each group is assigned to the app (its precondition; not when the guard tripped,
 * which most likely means a wrong group id, nor in a dry run); hand the plan to the sink; then check Frontline. A
 * tripped guard means the listing is not to be trusted: nothing is written anywhere.
 */
export async function runReconcile<Sunk>(
  deps: ReconcileRunDeps<Sunk>,
  input: ReconcileRunInput,
): Promise<ReconcileRun<Sunk>> {
  const { okta } = deps;
  const { policy, appId } = input;
  // The app must be Frontline's before any member is given (or loses) it: a wrong FRONTLINE_APP_ID is refused.
  requireFrontlineApp(input.app ?? (await okta.getApp(appId)), input.rules, {
    flag: '`setup --adopt` or `repair --adopt`',
  });
  const listing = await listAssignments(okta, {
    appId,
    groupIds: policy.groupIds,
    ...(deps.onPage ? { onPage: deps.onPage } : {}),
  });
  await completeListing(okta, listing);
  const pinned =
    policy.pinnedUserNameTemplate === undefined
      ? undefined
      : parseUserNameTemplate(policy.pinnedUserNameTemplate);
  const planOptions = {
    ...policy,
    userNameFor: pinned && ((m: GroupMember) => renderUserName(pinned, m.profile)),
    allowMassRemoval: input.allowMassRemoval === true,
    allowMassGrant: input.allowMassGrant === true,
  };
  let plan = planReconcile(listing.members, listing.appUsers, planOptions);
  // Whose credential runs this matters only when the plan grants and nothing allows it: one read, then.
  if (plan.grantGuard.grants.length > 0 && !plan.grantGuard.tripped && !input.allowMassGrant) {
    const selfUserId = await okta.getSelfUserId();
    if (selfUserId && plan.grantGuard.grants.includes(selfUserId)) {
      const grantGuard = massGrantGuard(plan.grantGuard.grants, plan.counts.members, {
        ...planOptions,
        selfUserId,
      });
      plan = { ...plan, grantGuard };
    }
  }
  const scope = scopeGuard(policy, listing.members, listing.appUsers);
  const mayWrite = !input.dryRun && !planStopped(plan);
  const assignments =
    policy.assignmentMode === 'group'
      ? await groupAssignments(okta, appId, policy.groupIds, mayWrite, membersLackingAssignment(listing))
      : [];
  const sunk = mayWrite ? await deps.sink(plan) : undefined;
  if (deps.metrics) publishPlanMetrics(deps.metrics, plan, scope);
  let frontline: FrontlineReconcileResult | undefined;
  // The install-day record, and every run's: the app's users are the Frontline app's own (checked above), whatever
  // the groups, so they are recorded even when a guard stops the plan (the first backfill trips the grant guard by
  // design); a dry run writes nothing.
  const records = deps.frontline ?? deps.records;
  const identitiesRecorded =
    records && !input.dryRun ? await recordListedIdentities(records, listing.appUsers) : undefined;
  if (deps.frontline && mayWrite) {
    frontline = await reconcileFrontline(listing.members, deps.frontline, {
      maxDeactivationShare: policy.maxRemovalShare,
      minDeactivationAllowance: policy.minRemovalAllowance,
      holders: keptHolders(listing, plan),
    });
  }
  return {
    plan,
    scope,
    groupAssignments: assignments,
    listing,
    sunk,
    ...(frontline ? { frontline } : {}),
    ...(identitiesRecorded !== undefined ? { identitiesRecorded } : {}),
  };
}

/** App users outside the groups the plan leaves holding the app: not leavers, though their identities are recorded. */
function keptHolders(listing: AssignmentListing, plan: ReconcilePlan): Set<string> {
  const members = new Set(listing.members.map((m) => m.id));
  const removed = new Set(plan.unassign.map((u) => u.userId));
  return new Set(listing.appUsers.filter((u) => !members.has(u.id) && !removed.has(u.id)).map((u) => u.id));
}

function publishPlanMetrics(m: MetricsSink, plan: ReconcilePlan, scope: ScopeGuardReport): void {
  m.addMetric(RECONCILE_METRICS.plannedChanges, 'Count', planChangeCount(plan));
  m.addMetric(RECONCILE_METRICS.plannedAssign, 'Count', plan.assign.length);
  m.addMetric(RECONCILE_METRICS.plannedUnassign, 'Count', plan.unassign.length);
  m.addMetric(RECONCILE_METRICS.plannedSetUserType, 'Count', plan.setUserType.length);
  m.addMetric(RECONCILE_METRICS.unmanaged, 'Count', plan.unmanaged.length);
  m.addMetric(RECONCILE_METRICS.guardTrips, 'Count', plan.guard.tripped ? 1 : 0);
  m.addMetric(RECONCILE_METRICS.grantGuardTrips, 'Count', plan.grantGuard.tripped ? 1 : 0);
  m.addMetric(RECONCILE_METRICS.scopeFindings, 'Count', scope.findings.length);
}
