import type { IdentityTrail } from '../domain/frontline-identity';
import { oktaRaw, type RawOktaClient } from './http';
import { OktaTransientError } from './errors';

/*
 * What the System Log still carries of a user Okta deleted (the user object is gone, the events stay 90 days):
 * the app usernames of the Frontline app's `application.user_membership.*` events, whose `AppUser` target's
 * alternateId is the username in the app (developer docs, System Log guide: an AppUser target's alternateId "is the
 * username in the downstream system"), and the logins (`User` target alternateIds) of every event about them, the
 * `user.lifecycle.delete.initiated` being handled included. One bounded query in the logs bucket.
 */

const DAY_MS = 24 * 3600 * 1000;
/** Okta keeps 90 days of System Log (System Log query reference, "Data retention"). */
const RETENTION_DAYS = 90;
const MEMBERSHIP_EVENTS = [
  'application.user_membership.add',
  'application.user_membership.remove',
  'application.user_membership.update',
  'application.user_membership.change_username',
];

interface Target {
  id?: unknown;
  type?: unknown;
  alternateId?: unknown;
}

/** The query: the user as a target; a bounded request (an `until`), newest first, one page of Okta's maximum. */
export function identityTrailPath(userId: string, now: Date): string {
  const params = new URLSearchParams({
    since: new Date(now.getTime() - RETENTION_DAYS * DAY_MS).toISOString(),
    until: now.toISOString(),
    sortOrder: 'DESCENDING',
    limit: '1000',
    filter: `target.id eq "${userId}"`,
  });
  return `/api/v1/logs?${params.toString()}`;
}

/** Reads the trail; an empty one when the log holds nothing of the user. */
export async function readIdentityTrail(
  client: RawOktaClient,
  userId: string,
  appId: string,
  now = new Date(),
): Promise<IdentityTrail> {
  const response = await oktaRaw(client, identityTrailPath(userId, now), `read the System Log of ${userId}`);
  let events: unknown;
  try {
    events = JSON.parse(response.text || '[]');
  } catch (err) {
    throw new OktaTransientError('read the System Log: the answer is not JSON', { cause: err });
  }
  if (!Array.isArray(events)) throw new OktaTransientError('read the System Log: the answer is not a list');
  return trailOf(events, userId, appId);
}

/** The trail in a page of LogEvents (newest first), each value once. Pure. */
export function trailOf(events: readonly unknown[], userId: string, appId: string): IdentityTrail {
  const appUserNames: string[] = [];
  const logins: string[] = [];
  const add = (list: string[], value: unknown) => {
    if (typeof value === 'string' && value !== '' && value !== 'unknown' && !list.includes(value))
      list.push(value);
  };
  for (const raw of events) {
    const event = raw as { eventType?: unknown; target?: unknown; outcome?: { result?: unknown } } | null;
    const targets = Array.isArray(event?.target) ? (event.target as Target[]) : [];
    const user = targets.find((t) => t?.type === 'User' && t.id === userId);
    if (!user) continue;
    add(logins, user.alternateId);
    const ours = targets.some((t) => t?.type === 'AppInstance' && t.id === appId);
    const failed = String(event?.outcome?.result ?? '').toUpperCase() === 'FAILURE';
    if (!ours || failed || !MEMBERSHIP_EVENTS.includes(String(event?.eventType))) continue;
    add(appUserNames, targets.find((t) => t?.type === 'AppUser')?.alternateId);
  }
  return { appUserNames, logins };
}
