/*
 * The sign-in window: how long a user holds the Frontline app without `userType = "agent"` (a sign-in then arrives
 * with no `roles` value). Measured from the emulator's own records: when Okta assigned the app and the end of the
 * worker's profile write (request log `time` + `durationMs` of the first `POST /api/v1/users/{id}` answered 200).
 * The app user's `created` is in whole seconds (as Okta shows it), too coarse for a window of milliseconds, so the
 * assignment's time is the `published` of its `application.user_membership.add` event, checked against `created`.
 */
import type { RequestLogEntry } from '../../emulator/okta';

export interface SignInWindows {
  /** Per user, role-write end minus app-user creation, ms; negative = the role was written first. */
  leadsMs: number[];
  /** Per user, how long the app was held without the role: max(0, lead). */
  windowsMs: number[];
  /** Users who held the app before their role write ended. */
  exposed: number;
  /** Users with no app user or no successful role write (0 when converged). */
  missing: number;
}

const USER_WRITE = /^\/api\/v1\/users\/([^/]+)\/?$/;

/** When each user's first successful profile write (the `userType` write) ended, epoch ms. */
export function roleWriteEnds(log: readonly RequestLogEntry[]): Map<string, number> {
  const ends = new Map<string, number>();
  for (const e of log) {
    const m = e.method === 'POST' && e.status === 200 ? USER_WRITE.exec(e.path) : null;
    const userId = m?.[1] && decodeURIComponent(m[1]);
    if (!userId) continue;
    const end = Date.parse(e.time) + e.durationMs;
    const seen = ends.get(userId);
    if (seen === undefined || end < seen) ends.set(userId, end);
  }
  return ends;
}

export function signInWindows(
  userIds: readonly string[],
  appAssigned: ReadonlyMap<string, number>,
  writeEnds: ReadonlyMap<string, number>,
): SignInWindows {
  const leadsMs: number[] = [];
  let missing = 0;
  for (const id of userIds) {
    const created = appAssigned.get(id);
    const end = writeEnds.get(id);
    if (created === undefined || end === undefined) missing += 1;
    else leadsMs.push(end - created);
  }
  const windowsMs = leadsMs.map((l) => Math.max(0, l));
  return { leadsMs, windowsMs, exposed: leadsMs.filter((l) => l > 0).length, missing };
}

/** The event is stamped just after the app user is recorded, so it may fall a moment into the next second. */
const EVENT_AFTER_RECORD_SLACK_MS = 100;

/** Users whose assignment event is not in the second their app user's `created` names (0 when the two agree). */
export function createdMismatches(
  appAssigned: ReadonlyMap<string, number>,
  appUserCreated: ReadonlyMap<string, number>,
): number {
  let mismatches = 0;
  for (const [id, at] of appAssigned) {
    const created = appUserCreated.get(id);
    if (created === undefined || at < created || at >= created + 1000 + EVENT_AFTER_RECORD_SLACK_MS)
      mismatches += 1;
  }
  return mismatches + Math.max(0, appUserCreated.size - appAssigned.size);
}

/** Nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}
