import { DEMO, DEMO_SEED, type RunningEmulator, type SeedData } from '../../emulator/okta';
import { membershipDelivery } from './serve-process';

/** Helpers of the embedded benchmark: an org of N group members and the deliveries Okta would send about them. */
export const BATCH = 50;

export function orgWith(count: number, prefix: string): { seed: SeedData; ids: string[] } {
  const ids = Array.from(
    { length: count },
    (_, i) => `00u${prefix}${String(i).padStart(17 - prefix.length, '0')}`,
  );
  return {
    ids,
    seed: {
      ...DEMO_SEED,
      users: [
        ...(DEMO_SEED.users ?? []),
        ...ids.map((id, i) => ({
          id,
          status: 'ACTIVE' as const,
          profile: {
            login: `${prefix}${i}@example.com`,
            email: `${prefix}${i}@example.com`,
            firstName: 'B',
            lastName: `${i}`,
          },
        })),
      ],
      memberships: {
        ...DEMO_SEED.memberships,
        [DEMO.groupId]: [...(DEMO_SEED.memberships?.[DEMO.groupId] ?? []), ...ids],
      },
    },
  };
}

export function deliveries(ids: string[], tag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    out.push(
      membershipDelivery(
        DEMO.groupId,
        ids.slice(i, i + BATCH).map((userId, j) => ({ uuid: `${tag}-${i + j}`, userId })),
      ),
    );
  }
  return out;
}

export function converged(emulator: RunningEmulator, ids: string[]): number {
  const assigned = new Set(emulator.state.listAppUsers(DEMO.appId).map((u) => u.id));
  return ids.filter(
    (id) =>
      assigned.has(id) && (emulator.state.getUser(id)?.profile as { userType?: string }).userType === 'agent',
  ).length;
}

/** "HR adds N users at once": the membership writes go out BATCH at a time through the Okta API. */
export async function joinInBatches(emulator: RunningEmulator, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    await Promise.all(
      ids.slice(i, i + BATCH).map((userId) =>
        fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${userId}`, {
          method: 'PUT',
          headers: { Authorization: `SSWS ${emulator.token}` },
        }),
      ),
    );
  }
}

/** Waits until every user is converged (assigned, `userType` agent), polling every 20 ms; throws past `limitMs`. */
export async function awaitConverged(
  emulator: RunningEmulator,
  ids: string[],
  limitMs: number,
  what: string,
): Promise<void> {
  if (!(await until(() => converged(emulator, ids) === ids.length, limitMs, 20)))
    throw new Error(`${what} did not converge within ${limitMs / 1000} s`);
}

export async function until(test: () => boolean, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!test() && Date.now() < deadline) await new Promise((r) => setTimeout(r, pollMs));
  return test();
}
