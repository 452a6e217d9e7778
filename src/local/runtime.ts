import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import type { AppSettings } from '../config/env';
import type { LogEvent } from '../domain/hook-events';
import type { FingerprintStore } from '../app-guard/fingerprint-store';
import { createOktaClient } from '../okta/client';
import { secretMatches } from '../receiver/auth';
import { trimTrailingSlashes } from '../receiver/http';
import { createReceiver, DEFAULT_MAX_BODY_BYTES, EVENT_HOOK_PATH } from '../receiver/receiver';
import type { ConvergenceOutcome } from '../worker/converge';
import { sdkDirectoryProvider, staticCredentials } from '../okta/credentials';
import { CredentialsRejectedError, retryAtOf } from '../worker/errors';
import { createWorker } from '../worker/worker';
import type { WorkItem } from '../domain/work-item';
import { EVENT_HOOK_NAME } from '../bootstrap/resource-types';
import { describeHookHealth } from '../catchup/hook-health';
import { startBackstop, type Backstop } from './backstop';
import { startCatchupLoop, type CatchupLoop } from './catchup-loop';
import { recordReconcileRun } from '../sqlite/last-reconcile';
import { LocalConsumer, type DrainReport } from './consumer';
import { GatedRateGovernor } from './gated-governor';
import { createHttpAdapter } from './http-adapter';
import { SqliteWorkQueue } from '../sqlite/work-queue';
import { sqliteCursorStore } from '../sqlite/cursor-store';
import { sqliteFingerprintStore } from '../sqlite/fingerprint-store';
import { openLocalDatabase, type LocalDatabase } from '../sqlite/database';
import type { FrontlineConfig } from '../twilio/config';
import { createFetchFrontlineUsers } from '../twilio/fetch-users';
import { createFrontlineStep, type FrontlineOutcome } from '../worker/frontline-step';
import { sqliteIdentityStore } from '../sqlite/identity-store';

export interface LocalRuntimeOptions {
  settings: AppSettings & { appId: string };
  logger?: Logger;
  /** An open store; by default `settings.dataDir`'s database is opened (and closed by `stop`). */
  db?: LocalDatabase;
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

export interface Health {
  status: 'ok' | 'degraded';
  reasons: string[];
  queue: { queued: number; inFlight: number; dead: number };
}

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
  const { settings } = options;
  const logger = options.logger ?? new Logger({ serviceName: 'frontline-local' });
  const db = options.db ?? openLocalDatabase(settings.dataDir);
  const queue = new SqliteWorkQueue(db, {
    maxReceives: settings.maxReceives,
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 60_000,
    backoff: { baseMs: settings.retryBaseSeconds * 1000, maxMs: settings.retryMaxSeconds * 1000 },
  });
  const released = queue.releaseAbandoned();
  if (released > 0) logger.info('resuming items left in flight by the last run', { released });
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
    ...(frontline ? { frontline: frontline.step } : {}),
  });
  const failures: Record<string, number> = {};
  let credentialsRejected = false;
  const consumer = new LocalConsumer({
    queue,
    concurrency: options.concurrency ?? 4,
    retryAtOf,
    stopping: () => governor.closed,
    process: async (item: WorkItem) => {
      const outcome = await worker.processWorkItem(item);
      credentialsRejected = false;
      options.onOutcome?.(outcome);
    },
    onError: (item, error, outcome) => {
      const name = error instanceof Error ? error.name : 'Error';
      failures[name] = (failures[name] ?? 0) + 1;
      if (error instanceof CredentialsRejectedError) credentialsRejected = true;
      if (outcome === 'dead') {
        logger.error('work item dead-lettered; see `npm run cli -- dlq list`', {
          userId: item.userId,
          triggers: item.triggers.map((t) => t.eventUuid),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  });
  const secrets = { current: settings.hookSecret, previous: settings.hookSecretPrevious };
  const receiver = createReceiver({
    secrets: async () => secrets,
    queue,
    groupIds: settings.policy.groupIds,
    appId: settings.appId,
    headerName: settings.hookAuthHeader,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
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
    const stats = queue.stats();
    const reasons = [
      ...(stats.dead > 0 ? [`${stats.dead} dead letter(s): npm run cli -- dlq list`] : []),
      ...(credentialsRejected ? ['Okta rejects the credentials'] : []),
      ...hookReasons(),
    ];
    return { status: reasons.length > 0 ? 'degraded' : 'ok', reasons, queue: stats };
  };
  const headerName = settings.hookAuthHeader.toLowerCase();
  const server: Server = createHttpAdapter({
    handler: receiver,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    limits: settings.http,
    logger,
    // Authenticate on the headers alone: an unauthenticated upload is answered before its body is read.
    preflight: async ({ path, headers }) =>
      trimTrailingSlashes(path) === EVENT_HOOK_PATH && !secretMatches(headers[headerName], secrets)
        ? { status: 401, body: { message: 'Unauthorized' } }
        : undefined,
    localRoutes: {
      '/healthz': () => ({ status: 200, body: health() }),
    },
  });
  await listen(server, settings.port, settings.host);
  consumer.start();
  const client = createOktaClient({ orgUrl: settings.orgUrl, credentials: settings.credentials, governor });
  const backstop = startBackstop({
    client,
    queue,
    settings,
    fingerprints,
    logger,
    onRun: (run) => {
      try {
        recordReconcileRun(db, run);
      } catch {
        // A run that ends while the database closes: the record only informs `status`, the run itself is done.
      }
    },
    ...(frontline ? { frontline: frontline.reconcile } : {}),
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
  const catchupLoop = startCatchupLoop({
    client,
    queue,
    cursor: sqliteCursorStore(db),
    groupIds: settings.policy.groupIds,
    appId: settings.appId,
    hook: { name: EVENT_HOOK_NAME, url: `${url}${EVENT_HOOK_PATH}` },
    intervalSeconds: settings.catchupIntervalSeconds,
    lookbackSeconds: settings.catchupLookbackSeconds,
    logger,
    ...(options.onAppConfigEvents ? { onAppConfigEvents: options.onAppConfigEvents } : {}),
  });
  late.catchup = catchupLoop;

  return {
    url,
    hookUrl: `${url}${EVENT_HOOK_PATH}`,
    queue,
    fingerprints,
    backstop,
    catchup: catchupLoop,
    failures: () => ({ ...failures }),
    health,
    idle: (timeoutMs) => consumer.idle(timeoutMs),
    async stop(drainTimeoutMs = settings.drainTimeoutSeconds * 1000) {
      backstop.stop();
      catchupLoop.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      const report = await consumer.stop(drainTimeoutMs);
      governor.close();
      await closed;
      if (!options.db) db.close();
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
