import type { AppUser, GroupMember } from './reconcile-plan';

/*
 * Frontline knows an agent by the SAML NameID (the app username), but CRM integrations usually map customers to
 * workers by email (the customer's owner is looked up by the worker's identity): when the two differ, a CRM that
 * answers with the email names a Frontline user that doesn't exist. Nothing fails at sign-in, so it is said here,
 * per user in `explain` and as a count in `check`. Pure.
 */

/** The remedy, said once wherever the difference is reported. */
export const NAME_ID_EMAIL_REMEDY =
  'either a username template that yields the email (`${source.email}`: FRONTLINE_USERNAME_TEMPLATE, then ' +
  '`repair --username-template` and `reconcile --fix-usernames`; each agent renamed so starts as a new, empty ' +
  'Frontline user), or accept it knowingly and have the CRM map customers to this identity';

/** The sentence for one user, or undefined when the NameID is the email (or either is unknown). */
export function nameIdEmailNote(nameId: string | undefined, email: string | undefined): string | undefined {
  if (!nameId || !email || nameId === email) return undefined;
  return (
    `NameID "${nameId}" is not the email "${email}": Frontline knows this agent as "${nameId}", while CRM ` +
    `integrations that map customers to workers by email look for "${email}"; ${NAME_ID_EMAIL_REMEDY}`
  );
}

export interface NameIdEmailDifference {
  userId: string;
  nameId: string;
  email: string;
}

/** Assigned group members whose app username (their NameID) is not their email; their profiles come with the listing. */
export function nameIdEmailDifferences(
  members: readonly GroupMember[],
  appUsers: readonly AppUser[],
): NameIdEmailDifference[] {
  const emails = new Map(members.map((m) => [m.id, m.profile.email]));
  return appUsers.flatMap((u) => {
    const email = emails.get(u.id);
    return typeof email === 'string' && u.userName && nameIdEmailNote(u.userName, email)
      ? [{ userId: u.id, nameId: u.userName, email }]
      : [];
  });
}

/** `check`'s line for the count, or undefined when there is none. */
export function describeNameIdEmail(differences: readonly NameIdEmailDifference[]): string | undefined {
  if (differences.length === 0) return undefined;
  return (
    `NameID differs from email for ${differences.length} agent(s) (\`explain <user>\` shows each): Frontline knows ` +
    `them by the NameID, CRM integrations usually by email; ${NAME_ID_EMAIL_REMEDY}.`
  );
}
