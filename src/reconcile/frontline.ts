import { ENTITLED_STATUSES } from '../domain/desired-state';
import type { AppUser, GroupMember } from '../domain/reconcile-plan';
import { identitiesOf, type IdentityStore } from '../domain/identity-record';
import type { FrontlineUsers } from '../twilio/users';

/** What the scheduled reconcile needs to check Frontline; `users` undefined = no Twilio credentials = off. */
export interface FrontlineReconcileDeps {
  users: () => Promise<FrontlineUsers | undefined>;
  identities: IdentityStore;
}

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
  const candidates = records.filter((r) => !entitled.has(r.userId));
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

/**
 * Records the Frontline identity (the assignment's username, Okta's own value from the app's user listing) of every
 * group member who holds the app, when it is not the one on record: members onboarded before offboarding was on,
 * group mode's joiners (whose worker renders the app template instead of reading each assignment,
 * src/worker/frontline-step.ts), and renamed assignments (`reconcile --fix-usernames`, an admin's edit). A replaced
 * identity stays in the record's `previous`, so offboarding still ends a session under it. Returns how many were
 * recorded; nothing while Frontline offboarding is off.
 */
export async function recordListedIdentities(
  deps: FrontlineReconcileDeps,
  members: readonly GroupMember[],
  appUsers: readonly AppUser[],
): Promise<number> {
  if (!(await deps.users())) return 0;
  const memberIds = new Set(members.map((m) => m.id));
  const recorded = new Map((await deps.identities.listAll()).map((r) => [r.userId, r.identity]));
  let count = 0;
  for (const u of appUsers) {
    if (!memberIds.has(u.id) || !u.userName || recorded.get(u.id) === u.userName) continue;
    await deps.identities.record(u.id, u.userName);
    count += 1;
  }
  return count;
}
