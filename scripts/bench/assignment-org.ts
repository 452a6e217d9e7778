/*
 * The org the assignment-modes benchmark runs against: the emulator seeded with the demo org plus N bench users,
 * the local runtime (receiver, SQLite queue, worker) in the given assignment mode, and the emulator's event hook
 * delivering to the receiver, as scripts/bench/pipeline.ts sets it up. In group mode the Frontline group is
 * assigned to the app the way `setup` and `reconcile` do it (ensureGroupAssigned through the guard directory).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  DEMO,
  DEMO_SEED,
  startOktaEmulator,
  type RateLimitSettings,
  type RunningEmulator,
  type SeedData,
} from '../../emulator/okta';
import type { AssignmentMode } from '../../src/domain/policy';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { ensureGroupAssigned, type GroupAssignmentStep } from '../../src/reconcile/assignments';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { createOktaClient } from '../../src/okta/client';
import { registerEventHook } from '../../src/okta/event-hooks';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import type { ConvergenceOutcome } from '../../src/worker/converge';
import { until } from './embedded-org';

export interface BenchOrgOptions {
  mode: AssignmentMode;
  users: number;
  /** Emulator rate limits; undefined = the emulator's defaults (a paid org's per-minute limits). */
  rateLimits?: Partial<RateLimitSettings>;
  concurrency?: number;
}

export interface BenchOrg {
  emulator: RunningEmulator;
  runtime: LocalRuntime;
  /** The bench users, none of them in the group yet. */
  ids: string[];
  /** Group mode: what ensureGroupAssigned did. */
  groupAssignment?: GroupAssignmentStep;
  /** Every item the worker finished, in order. */
  outcomes: ConvergenceOutcome[];
  /** Adds the users to the Frontline group through the Okta API, 50 requests at a time ("HR adds them at once"). */
  addToGroup(userIds: readonly string[]): Promise<void>;
  /** True when every one of the users is assigned to the app and carries userType "agent". */
  converged(userIds: readonly string[]): boolean;
  /** When Okta created each user's app user (epoch ms), from the emulator's record: whole seconds, as Okta shows it. */
  appUserCreated(userIds: readonly string[]): Map<string, number>;
  /**
   * When Okta assigned the app to each user, to the millisecond: the `published` time of the System Log event
   * `application.user_membership.add` emitted as the app user is created (the first one per user).
   */
  appAssigned(userIds: readonly string[]): Map<string, number>;
  stop(): Promise<void>;
}

/**
 * Okta's per-window bucket limits for the throughput benchmarks: the apps bucket, which is measured, at
 * `appsPerWindow`; the others ample, so the groups and event-hook buckets ("HR"'s side) are never the bottleneck.
 */
export function benchBucketLimits(appsPerWindow: number): Record<string, number> {
  return {
    apps: appsPerWindow,
    'apps-item': 600,
    users: 600,
    'users-item': 600,
    'users-get': 1_000,
    groups: 100_000,
    eventHooks: 1_000,
    default: 600,
  };
}

export function benchUserIds(users: number): string[] {
  return Array.from({ length: users }, (_, i) => `00ubench${String(i).padStart(12, '0')}`);
}

/** The demo org plus one active Support user per id (the pipeline benchmark seeds the same). */
export function benchSeed(ids: readonly string[]): SeedData {
  return {
    ...DEMO_SEED,
    users: [
      ...(DEMO_SEED.users ?? []),
      ...ids.map((id, i) => ({
        id,
        status: 'ACTIVE' as const,
        profile: {
          login: `bench.user${i}@example.com`,
          email: `bench.user${i}@example.com`,
          firstName: 'Bench',
          lastName: `User${i}`,
          department: 'Support',
        },
      })),
    ],
  };
}

export async function startBenchOrg(options: BenchOrgOptions): Promise<BenchOrg> {
  const ids = benchUserIds(options.users);
  const emulator = await startOktaEmulator({
    seed: benchSeed(ids),
    requestLogSize: 200_000,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const settings = settingsForOrg(
    emulator,
    { groupId: DEMO.groupId, appId: DEMO.appId, realmSid: DEMO.realmSid },
    { maxReceives: 10, policy: { assignmentMode: options.mode } },
  );
  const outcomes: ConvergenceOutcome[] = [];
  const admin = createOktaClient({
    orgUrl: emulator.url,
    credentials: { kind: 'ssws', token: emulator.token },
  });
  let groupAssignment: GroupAssignmentStep | undefined;
  if (options.mode === 'group') {
    groupAssignment = await ensureGroupAssigned(createGuardDirectory(admin), DEMO.appId, DEMO.groupId);
    // The demo members' GROUP-scope assignments are events of the set-up, not of the measured burst: send them
    // before the hook exists.
    await emulator.control.flushHooks();
  }
  const runtime = await startLocalRuntime({
    settings,
    concurrency: options.concurrency ?? 8,
    logger: new Logger({ serviceName: 'bench', logLevel: 'ERROR' }),
    onOutcome: (o) => outcomes.push(o),
  });
  await registerEventHook(admin, {
    name: 'bench',
    url: runtime.hookUrl,
    eventTypes: SUBSCRIBED_EVENT_TYPES,
    authHeader: 'Authorization',
    secret: settings.hookSecret,
  });
  const appUsers = (): Map<string, { created: string }> =>
    emulator.state.raw.appUsers.get(DEMO.appId) ?? new Map();
  return {
    emulator,
    runtime,
    ids,
    ...(groupAssignment ? { groupAssignment } : {}),
    outcomes,
    async addToGroup(userIds) {
      for (let i = 0; i < userIds.length; i += 50) {
        await Promise.all(
          userIds.slice(i, i + 50).map(async (userId) => {
            const res = await fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${userId}`, {
              method: 'PUT',
              headers: { Authorization: `SSWS ${emulator.token}` },
            });
            if (res.status !== 204) throw new Error(`adding ${userId} to the group answered ${res.status}`);
          }),
        );
      }
    },
    // The raw maps, not the copying read helpers: this is polled every 10 ms while the burst runs.
    converged(userIds) {
      const assigned = appUsers();
      return userIds.every(
        (id) => assigned.has(id) && emulator.state.raw.users.get(id)?.profile.userType === 'agent',
      );
    },
    appUserCreated(userIds) {
      const assigned = appUsers();
      const created = new Map<string, number>();
      for (const id of userIds) {
        const au = assigned.get(id);
        if (au) created.set(id, Date.parse(au.created));
      }
      return created;
    },
    appAssigned(userIds) {
      const wanted = new Set(userIds);
      const assigned = new Map<string, number>();
      for (const e of emulator.control.events()) {
        if (e.eventType !== 'application.user_membership.add') continue;
        const targets = (e.target ?? []) as { id?: string; type?: string }[];
        if (!targets.some((x) => x.type === 'AppInstance' && x.id === DEMO.appId)) continue;
        const userId = targets.find((x) => x.type === 'User')?.id;
        if (userId && wanted.has(userId) && !assigned.has(userId))
          assigned.set(userId, Date.parse(e.published));
      }
      return assigned;
    },
    async stop() {
      await runtime.stop(2_000);
      await emulator.stop();
    },
  };
}

/** Waits until `done()` holds, polling every 10 ms (convergence times are measured with it); throws after `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  if (!(await until(done, timeoutMs, 10)))
    throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
}
