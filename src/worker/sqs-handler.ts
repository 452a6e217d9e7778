import {
  processPartialResponse,
  SqsFifoMessageGroupShortCircuitError,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { rateLimitedDelaySeconds } from './retry-delay';
import { isTransientFailure, OktaOutage } from './okta-outage';
import { holdThroughOutage, OUTAGE_HOLD_MS, returnDelaySeconds } from './outage-hold';
import { RateGovernor } from '../okta/rate-governor';
import { WorkItemSchema, type WorkItem } from '../domain/work-item';
import type { UserTypeMemory } from '../domain/user-type-memory';
import { sdkDirectoryProvider, secretsManagerCredentials, type DirectoryProvider } from '../okta/credentials';
import { RetryLaterError, WorkItemParseError } from './errors';
import type { WorkerLambdaConfig } from './lambda-config';
import { createWorker, type Worker } from './worker';
import type { FrontlineStep } from './frontline-step';

/** SQS's ceiling for a message's visibility timeout. */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 60 * 60;

export interface ProvisionUserHandlerDeps {
  sqs: SQSClient;
  secretsManager: SecretsManagerClient;
  logger: Logger;
  /** The records table's overwritten roles (src/dynamodb/user-type-memory.ts). */
  userTypes: UserTypeMemory;
  /** Ends leavers' Frontline sessions (src/worker/frontline-step.ts). @default off */
  frontline?: FrontlineStep;
  /** Overrides the Secrets Manager + SDK directory (tests). */
  directory?: DirectoryProvider;
  /** Least time between two credential re-fetches after 401s. @default 30000 */
  minSecretRefreshIntervalMs?: number;
  /** middy's early timeout; tests pass 0. */
  timeoutEarlyInMillis?: number;
  /** @default Date.now */
  now?: () => number;
  /**
   * 0 ≤ r < 1, spreads items that hit the same 429 over up to 2 extra seconds so they don't all return in the same
   * instant. @default Math.random
   */
  random?: () => number;
  /**
   * The longest a record is held in the invocation through an Okta outage, tried again every few seconds
   * (src/worker/outage-hold.ts); 0 returns it to the queue at once. @default OUTAGE_HOLD_MS (40 s)
   */
  outageHoldMs?: number;
}

/**
 * The SQS FIFO consumer. Each record is one WorkItem; failures are reported per record (`batchItemFailures`), and
 * with the FIFO processor the later records of a failed message group are reported too, so one user's items stay
 * in order. Unrelated groups in the same batch go on (`skipGroupOnError`).
 *
 * - 429 → the record's visibility is set to the bucket's reset (capped at SQS's 12 h) and it is reported failed:
 *   it comes back after the reset without the Lambda sleeping.
 * - 5xx/network → tried again in place while Okta keeps failing (src/worker/outage-hold.ts), then reported failed
 *   and back in a second or two (or, received often already, on the exponential schedule); dead-lettered after
 *   maxReceiveCount.
 * - a body that is not a WorkItem → logged with the message id and reported failed (so it reaches the DLQ).
 * - permanent Okta problems → a `skipped` outcome, logged; the record succeeds and is deleted.
 */
export function createProvisionUserHandler(config: WorkerLambdaConfig, deps: ProvisionUserHandlerDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const { logger, sqs } = deps;
  const directory =
    deps.directory ??
    sdkDirectoryProvider({
      orgUrl: config.orgUrl,
      credentials: secretsManagerCredentials(deps.secretsManager, config.credentialsSecretArn, {
        ...(deps.minSecretRefreshIntervalMs !== undefined
          ? { minRefreshIntervalMs: deps.minSecretRefreshIntervalMs }
          : {}),
      }),
      // Short waits for a nearly-empty bucket happen inline; longer ones become a RetryLaterError (visibility change).
      governor: new RateGovernor({ maxInlineWaitMs: 2_000 }),
    });
  const worker: Worker = createWorker({
    directory,
    settings: { appId: config.appId, policy: config.policy },
    logger,
    userTypes: deps.userTypes,
    now,
    ...(deps.frontline ? { frontline: deps.frontline } : {}),
  });
  const processor = new SqsFifoPartialProcessorAsync();
  // One per container: whether Okta has been failing, and for how long (the hold's growing interval).
  const outage = new OktaOutage({ baseMs: 1_000, maxMs: 900_000, probeMs: 1_000, wakeWithinMs: 0 });
  let invocation: Context | undefined;

  async function recordHandler(record: SQSRecord): Promise<void> {
    const item = parseRecord(record, logger);
    try {
      await holdThroughOutage(() => worker.processWorkItem(item), {
        outage,
        remainingMs: () => invocation?.getRemainingTimeInMillis() ?? 0,
        holdMs: deps.outageHoldMs ?? OUTAGE_HOLD_MS,
        random,
      });
    } catch (err) {
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
      if (err instanceof RetryLaterError) {
        await delayRecord(record, rateLimitedDelaySeconds(err.retryAt - now(), receiveCount, random()));
      } else if (isTransientFailure(err)) {
        await delayRecord(record, returnDelaySeconds(receiveCount, config.maxReceiveCount, random()));
      }
      // Anything else (credentials rejected, unexpected) comes back after the queue's visibility timeout.
      throw err;
    }
  }

  async function delayRecord(record: SQSRecord, delaySeconds: number): Promise<void> {
    const seconds = Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(1, delaySeconds));
    try {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrlFromArn(record.eventSourceARN),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (err) {
      // Not fatal: the record still fails and returns after the queue's own visibility timeout.
      logger.warn('could not delay the rate-limited record', {
        messageId: record.messageId,
        visibilityTimeoutSeconds: seconds,
        error: err instanceof Error ? err.name : String(err),
      });
    }
  }

  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    invocation = context;
    const response = await processPartialResponse(event, recordHandler, processor, {
      context,
      skipGroupOnError: true,
      // Every record failing is still a per-record answer (429s are delayed individually), not a Lambda error.
      throwOnFullBatchFailure: false,
    });
    const skippedForOrder = processor.errors.filter(
      (e) => e instanceof SqsFifoMessageGroupShortCircuitError,
    ).length;
    if (skippedForOrder > 0) {
      logger.info('records held back behind a failed record of the same user', { count: skippedForOrder });
    }
    return response;
  };

  // logEvent pinned off whatever POWERTOOLS_LOGGER_LOG_EVENT says: this function holds the Okta credentials.
  return middy(lambdaHandler, {
    ...(deps.timeoutEarlyInMillis !== undefined ? { timeoutEarlyInMillis: deps.timeoutEarlyInMillis } : {}),
  }).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

function parseRecord(record: SQSRecord, logger: Logger): WorkItem {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch (err) {
    const error = new WorkItemParseError(record.messageId, 'body is not JSON', { cause: err });
    logger.error('unreadable work item', { messageId: record.messageId, reason: error.message });
    throw error;
  }
  const parsed = WorkItemSchema.safeParse(json);
  if (!parsed.success) {
    const error = new WorkItemParseError(
      record.messageId,
      `not a work item: ${z.prettifyError(parsed.error)}`,
    );
    logger.error('unreadable work item', { messageId: record.messageId, reason: error.message });
    throw error;
  }
  return parsed.data;
}

/** `arn:aws:sqs:eu-west-1:123456789012:work.fifo` → `https://sqs.eu-west-1.amazonaws.com/123456789012/work.fifo`. */
export function queueUrlFromArn(arn: string): string {
  const [, partition, service, region, account, name] = arn.split(':');
  if (service !== 'sqs' || !region || !account || !name) throw new Error(`not an SQS queue ARN: ${arn}`);
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}
