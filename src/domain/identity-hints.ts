/*
 * Events that may mean a user's app username, which is their Frontline identity, changed (src/domain/hook-events.ts
 * names them; the worker's Frontline step reads the username again for them). Pure.
 */

/**
 * `username-changed`: Okta changed the app username; `profile-changed`: an attribute a username template reads
 * changed, so Okta may have re-derived it.
 */
export type IdentityHint = 'username-changed' | 'profile-changed';

/**
 * What Okta's built-in app username formats read (Apps API `userNameTemplate`: Okta username, Email, their prefixes,
 * the AD and LDAP ones). A custom template reading another attribute is followed through the catch-up, which reads
 * Okta's `application.user_membership.change_username`.
 */
export const USERNAME_SOURCE_ATTRIBUTES: readonly string[] = [
  'login',
  'email',
  'userName',
  'samAccountName',
  'employeeID',
];

/**
 * The attribute names a `user.account.update_profile` event says changed (`debugContext.debugData
 * .changedAttributes`, comma-separated, as Okta Workflows' "User Okta Profile Updated" card exposes it); undefined
 * when it names none.
 */
export function changedAttributesOf(event: { debugContext?: unknown }): string[] | undefined {
  const debugData = (event.debugContext as { debugData?: { changedAttributes?: unknown } } | null | undefined)
    ?.debugData;
  const raw = debugData?.changedAttributes;
  if (typeof raw === 'string')
    return raw
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((a): a is string => typeof a === 'string');
  return undefined;
}
