import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import type { AppSettings } from '../config/env';
import type { LogEvent } from '../domain/hook-events';
import type { FingerprintStore } from '../app-guard/fingerprint-store';
import { createOktaClient } from '../okta/client';
import { createReceiver, DEFAULT_MAX_BODY_BYTES, EVENT_HOOK_PATH } from '../receiver/receiver';
import type { ConvergenceOutcome } from '../worker/converge';
import { sdkDirectoryProvider, staticCredentials } from '../okta/credentials';
import { CredentialsRejectedError, retryAtOf } from '../worker/errors';
import { createWorker } from '../worker/worker';
import {
  isTransientFailure,
  OktaOutage,
  OUTAGE_PROBE_MS,
  OUTAGE_WAKE_WITHIN_MS,
} from '../worker/okta-outage';
import type { WorkItem } from '../domain/work-item';
import { EVENT_HOOK_NAME } from '../bootstrap/resource-types';
import { describeHookHealth } from '../catchup/hook-health';
import { startBackstop, type Backstop } from './backstop';
import { startCatchupLoop, type CatchupLoop } from './catchup-loop';
import { recordReconcileRun } from '../sqlite/last-reconcile';
import { LocalConsumer, type DrainReport } from './consumer';
import { GatedRateGovernor } from './gated-governor';
import { describeStoreTrouble, HealthBoard, oktaRunHealth, type Health } from './health';
import { storeWatch } from './store-watch';
import { createHttpAdapter } from './http-adapter';
import { healthRoute, hookPreflight } from './routes';
import { SqliteWorkQueue, type QueueStats } from '../sqlite/work-queue';
import { retryWhileBusy } from '../sqlite/busy';
import { sqliteCursorStore } from '../sqlite/cursor-store';
import { claimDataDir, type DataDirClaim } from '../sqlite/data-dir';
import { sqliteFingerprintStore } from '../sqlite/fingerprint-store';
import { openLocalDatabase, SERVE_BUSY_TIMEOUT_MS, type LocalDatabase } from '../sqlite/database';
import type { FrontlineConfig } from '../twilio/config';
import { createFetchFrontlineUsers } from '../twilio/fetch-users';
import { createFrontlineStep, type FrontlineOutcome } from '../worker/frontline-step';
import { sqliteIdentityStore } from '../sqlite/identity-store';
import { sqliteUserTypeMemory } from '../sqlite/user-type-memory';
import { recordIdentitiesAtStart } from './record-at-start';

export interface LocalRuntimeOptions {
  settings: AppSettings & { appId: string };
  logger?: Logger;
  /** An open store; by default `settings.dataDir`'s database is opened (and closed by `stop`). */
  db?: LocalDatabase;
  /** `settings.dataDir`, already claimed (serve claims it first thing); by default claimed here, released by `stop`. */
  claim?: DataDirClaim;
  /** Parallel worker loops (Lambda's SQS maxConcurrency). @default 4 */
  concurrency?: number;
  /** @default 60000 */
  visibilityTimeoutMs?: number;
  /** Rate-limit waits shorter than this happen in-process; longer ones send the item back to the queue. @default 2000 */
  maxInlineWaitMs?: number;
  /** Called after every processed item, for the demo and tests. */
  onOutcome?: (outcome: ConvergenceOutcome & { frontline?: FrontlineOutcome }) => void;
  /** Twilio Frontline offboarding (src/twilio/config.ts). @default off */
  frontline?: FrontlineConfig;
  /** Called for `application.lifecycle.*` events of the Frontline app (the app guard's hook point). */
  onAppConfigEvents?: (events: LogEvent[]) => Promise<void>;
}

export type { Health } from './health';

export interface LocalRuntime {
  /** Base URL, e.g. http://127.0.0.1:8080; the hook endpoint is `${url}/okta/event-hook`. */
  readonly url: string;
  readonly hookUrl: string;
  readonly queue: SqliteWorkQueue;
  readonly fingerprints: FingerprintStore;
  readonly backstop: Backstop;
  /** The System Log catch-up and hook-health check (every FRONTLINE_CATCHUP_INTERVAL seconds). */
  readonly catchup: CatchupLoop;
  /** Failed processing attempts so far, by error name (RetryLaterError, OktaTransientError…). */
  failures(): Record<string, number>;
  /** Everything `/healthz` knows; the route shows more than the status only to a caller with the hook secret. */
  health(): Health;
  /** Resolves when nothing is queued or in flight (dead letters aside), false on timeout. */
  idle(timeoutMs?: number): Promise<boolean>;
  /**
   * Stops accepting requests, lets in-flight items finish within the drain timeout, then closes the gate to Okta
   * (no call starts afterwards) and says what was left; it stays in the database for the next start.
   */
  stop(drainTimeoutMs?: number): Promise<DrainReport>;
}

/**
 * The embedded default: the same receiver and worker the Lambdas run, joined by a SQLite queue with SQS FIFO
 * semantics instead of SQS, and served over node:http instead of API Gateway.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const logger = options.logger ?? new Logger({ serviceName: 'frontline-local' });
  // One process per data directory: a second one would hand out the first one's in-flight items again.
  const claim = options.claim ?? claimDataDir(options.settings.dataDir);
  if (!options.claim) logTightened(logger, claim);
  let db: LocalDatabase | undefined;
  try {
    db = options.db ?? openLocalDatabase(options.settings.dataDir);
    return await startOn(db, claim, logger, options);
  } catch (error) {
    if (!options.db) db?.close();
    if (!options.claim) claim.release();
    throw error;
  }
}

/** Says which permissions `claimDataDir` tightened (the directory and files hold identities). */
export function logTightened(logger: Pick<Logger, 'warn'>, claim: DataDirClaim): void {
  if (claim.tightened.length === 0) return;
  logger.warn('the data directory was readable by others; permissions tightened to owner-only', {
    dataDir: claim.dir,
    tightened: claim.tightened,
  });
}

async function startOn(
  db: LocalDatabase,
  claim: DataDirClaim,
  logger: Logger,
  options: LocalRuntimeOptions,
): Promise<LocalRuntime> {
  const { settings } = options;
  // Never a long synchronous wait on another process's lock: busy calls are retried from timers instead.
  db.pragma(`busy_timeout = ${SERVE_BUSY_TIMEOUT_MS}`);
  const queue = new SqliteWorkQueue(db, {
    maxReceives: settings.maxReceives,
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 60_000,
    backoff: { baseMs: settings.retryBaseSeconds * 1000, maxMs: settings.retryMaxSeconds * 1000 },
  });
  const released = await retryWhileBusy(() => queue.releaseAbandoned(), { budgetMs: 5_000 });
  if (released > 0) logger.info('resuming items left in flight by the last run', { released });
  const board = new HealthBoard();
  const okta = oktaRunHealth(board);
  const store = storeWatch(db, queue, board, logger);
  const fingerprints = sqliteFingerprintStore(db);
  const governor = new GatedRateGovernor(
    options.maxInlineWaitMs !== undefined ? { maxInlineWaitMs: options.maxInlineWaitMs } : {},
  );
  const frontline = options.frontline?.enabled ? localFrontline(options.frontline, db, settings) : undefined;
  const worker = createWorker({
    directory: sdkDirectoryProvider({
      orgUrl: settings.orgUrl,
      credentials: staticCredentials(settings.credentials),
      governor,
    }),
    settings: { appId: settings.appId, policy: settings.policy },
    logger,
    userTypes: sqliteUserTypeMemory(db),
    ...(frontline ? { frontline: frontline.step } : {}),
  });
  const failures: Record<string, number> = {};
  const consumer = new LocalConsumer({
    queue,
    outage: new OktaOutage({
      baseMs: settings.retryBaseSeconds * 1000,
      maxMs: settings.retryMaxSeconds * 1000,
      probeMs: OUTAGE_PROBE_MS,
      wakeWithinMs: OUTAGE_WAKE_WITHIN_MS,
    }),
    isTransient: isTransientFailure,
    concurrency: options.concurrency ?? 4,
    retryAtOf,
    stopping: () => governor.closed,
    process: async (item: WorkItem) => {
      const outcome = await worker.processWorkItem(item);
      okta.processed();
      options.onOutcome?.(outcome);
    },
    onError: (item, error, outcome) => {
      const name = error instanceof Error ? error.name : 'Error';
      failures[name] = (failures[name] ?? 0) + 1;
      if (error instanceof CredentialsRejectedError) okta.rejected();
      if (outcome === 'dead') {
        logger.error('work item dead-lettered; see `npm run cli -- dlq list`', {
          userId: item.userId,
          triggers: item.triggers.map((t) => t.eventUuid),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
    onStoreError: store.queueFailed,
    onStoreRecovered: store.queueRecovered,
  });
  const secrets = { current: settings.hookSecret, previous: settings.hookSecretPrevious };
  const receiver = createReceiver({
    secrets: async () => secrets,
    queue: store.accepting,
    groupIds: settings.policy.groupIds,
    appId: settings.appId,
    headerName: settings.hookAuthHeader,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    maxEventsPerDelivery: settings.maxEventsPerDelivery,
    logger,
    ...(options.onAppConfigEvents ? { onAppConfigEvents: options.onAppConfigEvents } : {}),
  });
  // Filled in once the catch-up loop exists (it needs the server's URL); read only by /healthz.
  const late: { catchup?: CatchupLoop } = {};
  const hookReasons = (): string[] => {
    const hook = late.catchup?.hookHealth();
    const reason = hook ? describeHookHealth(hook) : undefined;
    return reason ? [reason] : [];
  };
  const health = (): Health => {
    let stats: QueueStats | undefined;
    let unreadable: string | undefined;
    try {
      stats = queue.stats();
    } catch (error) {
      unreadable = describeStoreTrouble(error);
    }
    const reasons = [
      ...(stats && stats.dead > 0 ? [`${stats.dead} dead letter(s): npm run cli -- dlq list`] : []),
      ...(unreadable ? [`the queue cannot be counted: ${unreadable}`] : []),
      ...board.reasons(),
      ...hookReasons(),
    ];
    return { status: reasons.length > 0 ? 'degraded' : 'ok', reasons, ...(stats ? { queue: stats } : {}) };
  };
  const auth = { headerName: settings.hookAuthHeader, secrets };
  const server: Server = createHttpAdapter({
    handler: receiver,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    limits: settings.http,
    logger,
    preflight: hookPreflight(auth),
    localRoutes: { '/healthz': healthRoute(health, auth) },
  });
  await listen(server, settings.port, settings.host);
  consumer.start();
  const client = createOktaClient({ orgUrl: settings.orgUrl, credentials: settings.credentials, governor });
  const backstop = startBackstop({
    client,
    queue: store.accepting,
    settings,
    fingerprints,
    logger,
    onRun: (run) => {
      if (run.outcome === 'failed') okta.failed('backstop', run.reason ?? 'unknown error');
      else {
        okta.succeeded('backstop');
        consumer.oktaAnswered();
      }
      try {
        recordReconcileRun(db, run);
      } catch {
        // A run that ends while the database closes: the record only informs `status`, the run itself is done.
      }
    },
    ...(frontline ? { frontline: frontline.reconcile } : {}),
  });
  if (frontline) void recordIdentitiesAtStart(client, settings.appId, frontline.reconcile, logger);
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
  const catchupLoop = startCatchupLoop({
    client,
    queue: store.accepting,
    cursor: sqliteCursorStore(db),
    groupIds: settings.policy.groupIds,
    appId: settings.appId,
    hook: { name: EVENT_HOOK_NAME, url: `${url}${EVENT_HOOK_PATH}` },
    intervalSeconds: settings.catchupIntervalSeconds,
    lookbackSeconds: settings.catchupLookbackSeconds,
    logger,
    onRun: (outcome) => {
      if (!outcome.ok) return okta.failed('catchup', outcome.error);
      okta.succeeded('catchup');
      consumer.oktaAnswered();
    },
    ...(options.onAppConfigEvents ? { onAppConfigEvents: options.onAppConfigEvents } : {}),
  });
  late.catchup = catchupLoop;

  return {
    url,
    hookUrl: `${url}${EVENT_HOOK_PATH}`,
    queue,
    fingerprints,
    // A failed run called directly (not by the timer, which reports through onRun) degrades health as well.
    backstop: {
      runOnce: () =>
        backstop.runOnce().catch((error: unknown) => {
          okta.failed('backstop', error);
          throw error;
        }),
      stop: () => backstop.stop(),
    },
    catchup: catchupLoop,
    failures: () => ({ ...failures }),
    health,
    idle: (timeoutMs) => consumer.idle(timeoutMs),
    async stop(drainTimeoutMs = settings.drainTimeoutSeconds * 1000) {
      backstop.stop();
      catchupLoop.stop();
      store.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      const report = await consumer.stop(drainTimeoutMs);
      governor.close();
      await closed;
      if (!options.db) db.close();
      if (!options.claim) claim.release();
      return report;
    },
  };
}

/** Frontline on the embedded store: identities in the same SQLite file as the queue. */
function localFrontline(
  config: Extract<FrontlineConfig, { enabled: true }>,
  db: LocalDatabase,
  settings: Pick<AppSettings, 'policy'> & { appId: string },
) {
  const users = createFetchFrontlineUsers({ apiUrl: config.apiUrl, credentials: config.credentials });
  const identities = sqliteIdentityStore(db);
  const step = createFrontlineStep({
    users: async () => users,
    identities,
    appId: settings.appId,
    policy: settings.policy,
  });
  return { step, reconcile: { users: async () => users, identities } };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
