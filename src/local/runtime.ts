import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Logger } from '@aws-lambda-powertools/logger';
import type { AppSettings } from '../config/env';
import type { LogEvent } from '../domain/hook-events';
import { RateGovernor } from '../okta/rate-governor';
import { createReceiver, EVENT_HOOK_PATH } from '../receiver/receiver';
import type { ConvergenceOutcome } from '../worker/converge';
import { sdkDirectoryProvider, staticCredentials } from '../worker/credentials';
import { retryAtOf } from '../worker/errors';
import { createWorker } from '../worker/worker';
import type { WorkItem } from '../work/work-item';
import { LocalConsumer, type DrainReport } from './consumer';
import { LocalFifoQueue } from './fifo-queue';
import { createHttpAdapter } from './http-adapter';

export interface LocalRuntimeOptions {
  settings: AppSettings & { appId: string };
  logger?: Logger;
  /** Parallel worker loops (Lambda's SQS maxConcurrency). @default 4 */
  concurrency?: number;
  /** @default 30000 */
  visibilityTimeoutMs?: number;
  /** Rate-limit waits shorter than this happen in-process; longer ones send the item back to the queue. @default 2000 */
  maxInlineWaitMs?: number;
  /** Called after every processed item, for the demo and tests. */
  onOutcome?: (outcome: ConvergenceOutcome) => void;
  /** Called for `application.lifecycle.*` events of the Frontline app (the app guard's hook point). */
  onAppConfigEvents?: (events: LogEvent[]) => Promise<void>;
}

export interface LocalRuntime {
  /** Base URL, e.g. http://127.0.0.1:8080; the hook endpoint is `${url}/okta/event-hook`. */
  readonly url: string;
  readonly hookUrl: string;
  readonly queue: LocalFifoQueue;
  /** Failed processing attempts so far, by error name (RetryLaterError, OktaTransientError…). */
  failures(): Record<string, number>;
  /** Resolves when nothing is queued or in flight (dead letters aside), false on timeout. */
  idle(timeoutMs?: number): Promise<boolean>;
  /** Stops accepting requests, drains in-flight work, and says what was left. */
  stop(drainTimeoutMs?: number): Promise<DrainReport>;
}

/**
 * The embedded default: the same receiver and worker the Lambdas run, joined by an in-process SQS FIFO stand-in
 * instead of SQS, and served over node:http instead of API Gateway.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { settings } = options;
  const logger = options.logger ?? new Logger({ serviceName: 'frontline-local' });
  const queue = new LocalFifoQueue({
    maxReceives: settings.maxReceives,
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
  });
  const worker = createWorker({
    directory: sdkDirectoryProvider({
      orgUrl: settings.orgUrl,
      credentials: staticCredentials(settings.credentials),
      governor: new RateGovernor(
        options.maxInlineWaitMs !== undefined ? { maxInlineWaitMs: options.maxInlineWaitMs } : {},
      ),
    }),
    settings: {
      appId: settings.appId,
      groupId: settings.groupId,
      userNameTemplate: settings.userNameTemplate,
      clearUserTypeOnRemoval: settings.clearUserTypeOnRemoval,
      pruneUnmanaged: settings.pruneUnmanaged,
      ...(settings.suspendedPolicy ? { suspendedPolicy: settings.suspendedPolicy } : {}),
    },
    logger,
  });
  const failures: Record<string, number> = {};
  const consumer = new LocalConsumer({
    queue,
    concurrency: options.concurrency ?? 4,
    retryAtOf,
    process: async (item: WorkItem) => {
      const outcome = await worker.processWorkItem(item);
      options.onOutcome?.(outcome);
    },
    onError: (item, error, willRetry) => {
      const name = error instanceof Error ? error.name : 'Error';
      failures[name] = (failures[name] ?? 0) + 1;
      if (!willRetry) {
        logger.error('work item dead-lettered', {
          userId: item.userId,
          triggers: item.triggers.map((t) => t.eventUuid),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  });
  const receiver = createReceiver({
    secrets: async () => ({ current: settings.hookSecret, previous: settings.hookSecretPrevious }),
    queue,
    groupId: settings.groupId,
    appId: settings.appId,
    headerName: settings.hookAuthHeader,
    logger,
    ...(options.onAppConfigEvents ? { onAppConfigEvents: options.onAppConfigEvents } : {}),
  });
  const server = createHttpAdapter({
    handler: receiver,
    localRoutes: {
      '/healthz': () => ({ status: 200, body: { status: 'ok', queue: queue.stats() } }),
    },
  });
  await listen(server, settings.port, settings.host);
  consumer.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;

  return {
    url,
    hookUrl: `${url}${EVENT_HOOK_PATH}`,
    queue,
    failures: () => ({ ...failures }),
    idle: (timeoutMs) => consumer.idle(timeoutMs),
    async stop(drainTimeoutMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      const report = await consumer.stop(drainTimeoutMs);
      await closed;
      return report;
    },
  };
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
