import type { AppUser } from '../domain/reconcile-plan';
import type { IdentityStore } from '../domain/identity-record';
import type { GuardDirectory } from '../app-guard/okta-port';
import type { FrontlineUsers } from '../twilio/users';

/*
 * The install-day record: Frontline's identity for an agent is their app username (the SAML NameID), and a user
 * Okta deactivates or deletes loses the assignment that holds it. So the identity of every current app user (not
 * only the Frontline groups' members: hand-made assignments, other groups' and leavers' too) is recorded from one
 * listing of the app's users (`GET /api/v1/apps/{id}/users`, 500 a page, each page in the apps bucket; no per-user
 * call). serve does it at start; the reconcile Lambda, serve's backstop and the CLI `reconcile` with every run's
 * listing (src/reconcile/run.ts). A changed username replaces the one on record, which stays in its history for
 * offboarding. Measured at 10,000 app users: `npm run bench -- install-record` (scripts/bench/install-record.ts).
 */

export interface IdentityRecordDeps {
  /** undefined = no Twilio credentials = Frontline offboarding off: nothing is recorded. */
  users: () => Promise<FrontlineUsers | undefined>;
  identities: IdentityStore;
}

export interface AppListingRecord {
  /** App users listed. */
  listed: number;
  /** Identities written: new ones, and changed usernames. */
  recorded: number;
  /** Pages of the app's users read (each one apps-bucket call). */
  pages: number;
}

/**
 * Records each listed app user's username where it is not the identity on record. Returns how many were recorded;
 * 0 while Frontline offboarding is off.
 */
export async function recordListedIdentities(
  deps: IdentityRecordDeps,
  appUsers: readonly AppUser[],
): Promise<number> {
  if (!(await deps.users())) return 0;
  return recordChanged(deps.identities, await currentIdentities(deps.identities), appUsers);
}

/**
 * One listing of the app's users, recorded page by page: the records are read once, and memory holds one page of
 * app users, not the whole app's. Undefined while Frontline offboarding is off.
 */
export async function recordAppListing(
  okta: Pick<GuardDirectory, 'listAppUsers'>,
  appId: string,
  deps: IdentityRecordDeps,
): Promise<AppListingRecord | undefined> {
  if (!(await deps.users())) return undefined;
  const current = await currentIdentities(deps.identities);
  const result: AppListingRecord = { listed: 0, recorded: 0, pages: 0 };
  for await (const page of okta.listAppUsers(appId)) {
    result.pages += 1;
    result.listed += page.length;
    result.recorded += await recordChanged(deps.identities, current, page);
  }
  return result;
}

async function currentIdentities(identities: IdentityStore): Promise<Map<string, string>> {
  return new Map((await identities.listAll()).map((r) => [r.userId, r.identity]));
}

async function recordChanged(
  identities: IdentityStore,
  current: Map<string, string>,
  appUsers: readonly AppUser[],
): Promise<number> {
  const changed = appUsers.flatMap((u) =>
    u.userName && current.get(u.id) !== u.userName ? [{ userId: u.id, identity: u.userName }] : [],
  );
  if (changed.length === 0) return 0;
  if (identities.recordMany) await identities.recordMany(changed);
  else for (const c of changed) await identities.record(c.userId, c.identity);
  for (const c of changed) current.set(c.userId, c.identity);
  return changed.length;
}
