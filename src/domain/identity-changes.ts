import type { IdentityRecord } from './identity-record';
import type { AppUser } from './reconcile-plan';

/*
 * Identities that changed under the product: Okta re-derives an app username when its template's source attribute
 * changes, and an admin's "Update Now" rewrites them all (help.okta.com "Automatically update an app username").
 * The username is the SAML NameID, Frontline's identity for the agent: a changed one signs in as a new Frontline
 * user. `check` and `status` count them (src/cli/identity-changes.ts). Pure.
 */

/** What a changed identity means for the agent, said wherever one is counted. */
export const IDENTITY_CHANGE_MEANING =
  'at their next sign-in Frontline creates a new, empty user for each (their conversations and customers stay ' +
  'with the old one); the old identity stays on record, and offboarding deactivates both';

/** An app user whose username is not the identity on record: renamed since a run or the worker recorded it. */
export interface IdentityChange {
  userId: string;
  recorded: string;
  current: string;
}

/** Each app user with a record whose username differs from the identity on record. */
export function identityChanges(
  records: readonly IdentityRecord[],
  appUsers: readonly AppUser[],
): IdentityChange[] {
  const recorded = new Map(records.map((r) => [r.userId, r.identity]));
  return appUsers.flatMap((u) => {
    const identity = recorded.get(u.id);
    return identity !== undefined && u.userName && u.userName !== identity
      ? [{ userId: u.id, recorded: identity, current: u.userName }]
      : [];
  });
}

/** Records whose identity was replaced (it has a history) at or after `since` (ISO 8601); every one without it. */
export function recordedRenames(
  records: readonly IdentityRecord[],
  since: string | undefined,
): IdentityRecord[] {
  return records.filter(
    (r) => (r.previous?.length ?? 0) > 0 && (since === undefined || r.recordedAt >= since),
  );
}
