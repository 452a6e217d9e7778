import { ENTITLED_STATUSES } from '../domain/desired-state';
import type { GroupMember } from '../domain/reconcile-plan';
import { identitiesOf } from '../domain/identity-record';
import type { IdentityRecordDeps } from './record-identities';

/** What the scheduled reconcile needs to check Frontline; `users` undefined = no Twilio credentials = off. */
export type FrontlineReconcileDeps = IdentityRecordDeps;

export interface FrontlineReconcileOptions {
  /**
   * Whether a group member keeps Frontline. @default the worker's entitled statuses (ACTIVE, PROVISIONED, RECOVERY,
   * PASSWORD_EXPIRED, LOCKED_OUT)
   */
  isEntitled?: (member: GroupMember) => boolean;
  /** Largest share of the recorded identities one run may deactivate (the policy's `maxRemovalShare`). */
  maxDeactivationShare: number;
  /** A run may always deactivate at least this many (the policy's `minRemovalAllowance`). */
  minDeactivationAllowance: number;
  /** Check only: report what would be deactivated. @default false */
  dryRun?: boolean;
  /**
   * Users outside the Frontline groups the run leaves holding the app (hand-made assignments kept without pruning,
   * other groups' assignments): their identities are recorded too (./record-identities.ts), but they are no leavers.
   */
  holders?: ReadonlySet<string>;
}

export interface FrontlineReconcileResult {
  /** Recorded identities whose Okta user is no longer entitled (each one looked up in Frontline). */
  checked: number;
  /** Users found active in Frontline and deactivated now (or, in a dry run or when the guard tripped, to be). */
  deactivate: { userId: string; identity: string }[];
  deactivated: number;
  alreadyDeactivated: number;
  notSignedIn: number;
  /** Too many at once: nothing was written (the same reasoning as the reconcile's mass-removal guard). */
  guard: { tripped: boolean; allowed: number };
}

const defaultEntitled = (m: GroupMember) => (ENTITLED_STATUSES as readonly string[]).includes(m.status);

/**
 * The reconcile's Frontline check: a leaver whose offboarding event was lost (or whose Frontline deactivation
 * failed for good) may still be signed in to Frontline. For every recorded identity whose Okta user is not an
 * entitled member of a Frontline group, the Frontline user must be deactivated; the ones still active are deactivated
 * here. Idempotent (a deactivation is a state set), guarded against deactivating many at once: that would more
 * likely mean a wrong group than a wave of leavers, so the run writes nothing and says so.
 */
export async function reconcileFrontline(
  members: readonly GroupMember[],
  deps: FrontlineReconcileDeps,
  options: FrontlineReconcileOptions,
): Promise<FrontlineReconcileResult | undefined> {
  const users = await deps.users();
  if (!users) return undefined;
  const isEntitled = options.isEntitled ?? defaultEntitled;
  const entitled = new Set(members.filter(isEntitled).map((m) => m.id));
  const records = await deps.identities.listAll();
  const candidates = records.filter((r) => !entitled.has(r.userId) && !options.holders?.has(r.userId));
  const result: FrontlineReconcileResult = {
    checked: candidates.length,
    deactivate: [],
    deactivated: 0,
    alreadyDeactivated: 0,
    notSignedIn: 0,
    guard: { tripped: false, allowed: 0 },
  };
  for (const record of candidates) {
    // Every identity the user had: a session may live under an earlier one.
    for (const identity of identitiesOf(record)) {
      const current = await users.get(identity);
      if (!current) result.notSignedIn += 1;
      else if (current.state === 'deactivated') result.alreadyDeactivated += 1;
      else result.deactivate.push({ userId: record.userId, identity });
    }
  }
  const allowed = Math.max(
    options.minDeactivationAllowance,
    Math.floor(records.length * options.maxDeactivationShare),
  );
  result.guard = { tripped: result.deactivate.length > allowed, allowed };
  if (options.dryRun || result.guard.tripped) return result;
  for (const target of result.deactivate) {
    const after = await users.update(target.identity, { state: 'deactivated' });
    if (after) result.deactivated += 1;
    else result.notSignedIn += 1;
  }
  return result;
}
