import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import type { WorkItem } from '../../src/domain/work-item';
import { createOktaClient } from '../../src/okta/client';
import { createOktaDirectory, type OktaDirectory } from '../../src/okta/directory';

export const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:123456789012:frontline-work.fifo';
export const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/frontline-work.fifo';
export const CREDENTIALS_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-AbCdEf';

/**
 * The worker Lambda's environment as the stack sets it, against the demo org at `orgUrl` (the emulator, or a proxy
 * in front of it); `extra` adds or overrides variables.
 */
export function workerLambdaEnv(orgUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OKTA_ORG_URL: orgUrl,
    OKTA_CREDENTIALS_SECRET_ARN: CREDENTIALS_SECRET_ARN,
    FRONTLINE_APP_ID: DEMO.appId,
    FRONTLINE_GROUP_ID: DEMO.groupId,
    RECORDS_TABLE_NAME: 'records',
    WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
    ...extra,
  };
}

export const context = {
  functionName: 'provision-user',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:provision-user',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/provision-user',
  logStreamName: '2026/11/28/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

export function workItem(userId: string, ...eventTypes: string[]): WorkItem {
  return {
    kind: 'converge-user',
    userId,
    triggers: (eventTypes.length > 0 ? eventTypes : ['group.user_membership.add']).map((eventType, i) => ({
      eventUuid: `uuid-${userId}-${i}`,
      eventType,
    })),
    source: 'event-hook',
  };
}

let counter = 0;

/** An SQS FIFO record; `body` may be any string (to test bad input). */
export function sqsRecord(body: string | WorkItem, groupId?: string): SQSRecord {
  counter += 1;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const group = groupId ?? (typeof body === 'string' ? 'unknown' : body.userId);
  return {
    messageId: `msg-${counter}`,
    receiptHandle: `receipt-${counter}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764291600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764291600000',
      SequenceNumber: String(18_000_000_000_000_000_000n + BigInt(counter)),
      MessageGroupId: group,
      MessageDeduplicationId: `dedup-${counter}`,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/**
 * A suite's demo org on the emulator, with an SDK client and the worker's directory over it, started once and
 * stopped after the suite; `use` receives them when started, so a suite keeps its own names for them.
 */
export function useDemoDirectory(
  use: (org: {
    emulator: RunningEmulator;
    client: ReturnType<typeof createOktaClient>;
    directory: OktaDirectory;
  }) => void,
): void {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    const started = await startOktaEmulator({ seed: 'demo' });
    const client = createOktaClient({
      orgUrl: started.url,
      credentials: { kind: 'ssws', token: started.token },
    });
    emulator = started;
    use({ emulator: started, client, directory: createOktaDirectory(client) });
  });
  afterAll(async () => {
    await emulator?.stop();
  });
}
