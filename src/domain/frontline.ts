/**
 * What a user's Frontline user (Twilio's Frontline Users API) should look like, and the one update that gets it
 * there. Pure: no I/O, no clock.
 *
 * | entitled | Frontline user          | change                                                        |
 * |----------|-------------------------|---------------------------------------------------------------|
 * | either   | absent (GET answers 404) | none: never signed in, so no session to end; SSO creates it later |
 * | no       | active                  | `State=deactivated` (ends their sessions, removes them from pools) |
 * | no       | deactivated             | none                                                          |
 * | yes      | deactivated             | `State=active`, plus `FriendlyName` when it differs           |
 * | yes      | active                  | `FriendlyName` when it differs, else none                     |
 *
 * A leaver's `FriendlyName` is never touched: a deleted Okta user has no profile to take it from, and renaming
 * someone on the way out helps no one. The desired name is Okta's `displayName`, else first + last name; when the
 * profile has neither, the name in Frontline is left as it is (never blanked).
 */

export type FrontlineState = 'active' | 'deactivated';

/** What the Frontline Users API showed for the identity; `undefined` when it answered 404. */
export interface ObservedFrontlineUser {
  state: FrontlineState;
  friendlyName: string | null;
}

/** The Okta profile fields the friendly name comes from. */
export interface NameProfile {
  displayName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/** The fields to POST; only those that differ are set. */
export interface FrontlineUpdate {
  state?: FrontlineState;
  friendlyName?: string;
}

export type FrontlineAction = 'deactivate' | 'activate' | 'set-friendly-name';

export type FrontlinePlan =
  | { kind: 'none'; reason: 'not-signed-in' | 'in-sync' }
  | { kind: 'update'; update: FrontlineUpdate; actions: FrontlineAction[] };

const clean = (value: string | null | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** Okta's `displayName`, else `firstName lastName` (either alone if only one is set), else undefined. */
export function desiredFriendlyName(profile: NameProfile | undefined): string | undefined {
  if (!profile) return undefined;
  const display = clean(profile.displayName);
  if (display) return display;
  const parts = [clean(profile.firstName), clean(profile.lastName)].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * The Frontline change for one user. `profile` is the Okta profile when there is one (a deleted user has none);
 * it only matters for entitled users.
 */
export function planFrontline(input: {
  entitled: boolean;
  current: ObservedFrontlineUser | undefined;
  profile?: NameProfile | undefined;
}): FrontlinePlan {
  const { entitled, current } = input;
  if (!current) return { kind: 'none', reason: 'not-signed-in' };
  const update: FrontlineUpdate = {};
  const actions: FrontlineAction[] = [];
  if (!entitled) {
    if (current.state === 'active') {
      update.state = 'deactivated';
      actions.push('deactivate');
    }
  } else {
    if (current.state === 'deactivated') {
      update.state = 'active';
      actions.push('activate');
    }
    const name = desiredFriendlyName(input.profile);
    if (name !== undefined && name !== current.friendlyName) {
      update.friendlyName = name;
      actions.push('set-friendly-name');
    }
  }
  return actions.length === 0 ? { kind: 'none', reason: 'in-sync' } : { kind: 'update', update, actions };
}

/** The user as Frontline shows them after `update` is applied (what a successful POST answers). */
export function applyFrontlineUpdate(
  current: ObservedFrontlineUser,
  update: FrontlineUpdate,
): ObservedFrontlineUser {
  return {
    state: update.state ?? current.state,
    friendlyName: update.friendlyName ?? current.friendlyName,
  };
}
