import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Client } from '@okta/okta-sdk-nodejs';
import { createOktaClient, type OktaCredentials } from '../okta/client';
import { rotatingOktaClient, type CredentialsSource } from '../okta/credentials';
import { RateGovernor } from '../okta/rate-governor';
import { readLogPage } from '../okta/system-log';
import { CATCHUP_METRICS } from '../telemetry';
import type { WorkQueue } from '../domain/work-queue';
import { runCatchup, type CatchupSummary } from './catchup';
import type { CursorStore } from './cursor-store';
import { checkHookHealth, describeHookHealth, type HookHealth } from './hook-health';
import type { CatchupLambdaConfig } from './lambda-config';
import type { LogEvent } from '../domain/hook-events';

export interface CatchupHandlerDeps {
  credentials: CredentialsSource;
  queue: WorkQueue;
  cursor: CursorStore;
  metrics: Metrics;
  logger: Logger;
  /** Tests: build the Okta client differently. @default createOktaClient with a rate governor */
  buildClient?: (orgUrl: string, credentials: OktaCredentials) => Client;
  timeoutEarlyInMillis?: number;
  /**
   * `application.lifecycle.*` events of the Frontline app found in the log: the prompt app check, as the receiver
   * triggers it (src/receiver/app-check-trigger.ts). @default logged only; the hourly run covers them
   */
  onAppConfigEvents?: (events: LogEvent[]) => Promise<void>;
}

export interface CatchupResult {
  summary: CatchupSummary;
  hook: HookHealth;
}

/**
 * The scheduled catch-up (every minute): the System Log since the cursor in the records table, through the
 * receiver's selection into the worker's queue, then our event hook's health. A failed run publishes no
 * `CatchupCompleted` (alarmed) and the next minute starts from the saved cursor.
 */
export function createCatchupHandler(config: CatchupLambdaConfig, deps: CatchupHandlerDeps) {
  // Short inline waits only: a logs bucket that is empty for longer ends the run, and the next minute resumes.
  const governor = new RateGovernor({ maxInlineWaitMs: 5_000 });
  const build =
    deps.buildClient ??
    ((orgUrl: string, credentials: OktaCredentials) => createOktaClient({ orgUrl, credentials, governor }));
  const withOkta = rotatingOktaClient(deps.credentials, (credentials) => build(config.orgUrl, credentials));
  const { logger, metrics } = deps;
  const count = (name: string, value: number) => metrics.addMetric(name, MetricUnit.Count, value);

  async function handle(): Promise<CatchupResult> {
    const result = await withOkta(async (client) => {
      const summary = await runCatchup(
        {
          readPage: (url) => readLogPage(client, url),
          cursor: deps.cursor,
          queue: deps.queue,
          target: { groupIds: config.groupIds, appId: config.appId },
          logger,
          onAppConfigEvents: async (events) => {
            const entry = { events: events.map((e) => ({ uuid: e.uuid, eventType: e.eventType })) };
            if (!deps.onAppConfigEvents) {
              logger.warn(
                'Frontline app configuration events in the System Log; the hourly run checks',
                entry,
              );
              return;
            }
            // A failed hand-off fails the run: the cursor is not saved past these events, so the next minute
            // tries again (an extra app check is cheap; a missed one leaves a broken app unnoticed for an hour).
            await deps.onAppConfigEvents(events);
            logger.info('Frontline app configuration events handed to the app check', entry);
          },
        },
        { lookbackSeconds: config.lookbackSeconds },
      );
      const hook = await checkHookHealth(client, { name: config.hookName });
      return { summary, hook };
    });
    const { summary, hook } = result;
    count(CATCHUP_METRICS.events, summary.events);
    count(CATCHUP_METRICS.enqueued, summary.enqueued);
    count(CATCHUP_METRICS.failedDeliveries, summary.failedDeliveries);
    count(CATCHUP_METRICS.backlog, summary.backlog ? 1 : 0);
    count(CATCHUP_METRICS.hookUnhealthy, hook.state === 'ok' ? 0 : 1);
    count(CATCHUP_METRICS.hookReverified, hook.reverified ? 1 : 0);
    count(CATCHUP_METRICS.completed, 1);
    const problem = describeHookHealth(hook);
    if (problem) logger.error('event hook is not receiving events', { ...hook, problem });
    else if (hook.reverified) logger.info('event hook was UNVERIFIED; re-verified', { hookId: hook.hookId });
    logger.info('catch-up run', { ...summary });
    return result;
  }

  return (
    middy(handle, { timeoutEarlyInMillis: deps.timeoutEarlyInMillis ?? 5 })
      // logEvent pinned off whatever POWERTOOLS_LOGGER_LOG_EVENT says: this function holds the Okta credentials.
      .use(injectLambdaContext(logger, { logEvent: false }))
      .use(logMetrics(deps.metrics))
  );
}
