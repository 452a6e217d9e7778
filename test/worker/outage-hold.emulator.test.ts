import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { loadWorkerLambdaConfig } from '../../src/worker/lambda-config';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  PARKED_RECEIVES,
  parkFromReceive,
  probeIntervalMs,
  returnDelaySeconds,
} from '../../src/worker/outage-hold';
import { createProvisionUserHandler } from '../../src/worker/sqs-handler';
import { context, sqsEvent, sqsRecord, workItem, workerLambdaEnv } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);
let emulator: RunningEmulator;

function build(outageHoldMs: number) {
  return createProvisionUserHandler(loadWorkerLambdaConfig(workerLambdaEnv(emulator.url)), {
    userTypes: new InMemoryUserTypeMemory(),
    sqs: new SQSClient({ region: 'eu-west-1' }),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    timeoutEarlyInMillis: 0,
    random: () => 0,
    outageHoldMs,
  });
}

/** A Lambda context whose remaining time runs down like a 60 s invocation. */
function liveContext(): Context {
  const started = Date.now();
  return { ...context, getRemainingTimeInMillis: () => 60_000 - (Date.now() - started) } as Context;
}

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo', rateLimits: false });
});
afterAll(() => emulator.stop());
beforeEach(async () => {
  await emulator.control.reset();
  emulator.control.setFaults({ readErrorRate: 0, writeErrorRate: 0 });
  sqs.reset();
  secretsManager.reset();
  secretsManager
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ apiToken: emulator.token }) });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

/*
 * The worker Lambda through an Okta outage (src/worker/outage-hold.ts): the record is held in the invocation and
 * tried again every second or so, so it converges the moment Okta answers, without a trip through the queue.
 */
describe('Handler: provision-user holds a record through an Okta outage', () => {
  it('converges it within a couple of seconds of Okta answering again, in the same invocation', async () => {
    await fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`, {
      method: 'PUT',
      headers: { Authorization: `SSWS ${emulator.token}` },
    });
    emulator.control.setFaults({ readErrorRate: 1, writeErrorRate: 1 });
    let healedAt = 0;
    const heal = setTimeout(() => {
      emulator.control.setFaults({ readErrorRate: 0, writeErrorRate: 0 });
      healedAt = Date.now();
    }, 3_000);
    try {
      const record = sqsRecord(workItem(DEMO.users.newHire));
      const result = await build(20_000)(sqsEvent(record), liveContext());
      const doneAt = Date.now();
      expect(result).toEqual({ batchItemFailures: [] });
      expect(emulator.state.listAppUsers(DEMO.appId).map((u) => u.id)).toContain(DEMO.users.newHire);
      expect(doneAt - healedAt).toBeLessThan(2_000);
      expect(sqs).not.toHaveReceivedCommand(ChangeMessageVisibilityCommand);
      // One try about every second while Okta failed: not a burst.
      const failedTries = emulator.control.requestLog().filter((r) => r.cause === 'fault').length;
      expect(failedTries).toBeGreaterThanOrEqual(2);
      expect(failedTries).toBeLessThanOrEqual(5);
    } finally {
      clearTimeout(heal);
    }
  }, 15_000);

  it('returns the record for a moment when the hold ends with Okta still failing', async () => {
    emulator.control.setFaults({ readErrorRate: 1, writeErrorRate: 1 });
    const record = sqsRecord(workItem(DEMO.users.agent));
    const result = await build(2_500)(sqsEvent(record), liveContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: 1,
    });
  }, 10_000);
});

describe('Function: probeIntervalMs and returnDelaySeconds', () => {
  it('tries every second at first and every three seconds after a few minutes of outage', () => {
    expect(probeIntervalMs(0, 0.5)).toBe(1_000);
    expect(probeIntervalMs(120_000, 0.5)).toBe(2_000);
    expect(probeIntervalMs(600_000, 0.5)).toBe(3_000);
  });

  it('returns a record within seconds until its last receives before the dead-letter queue, which back off to 15 minutes', () => {
    const max = DEFAULT_MAX_RECEIVE_COUNT;
    expect(returnDelaySeconds(1, max, 0.99)).toBe(3);
    expect(returnDelaySeconds(max - PARKED_RECEIVES - 1, max, 0)).toBe(1);
    expect(returnDelaySeconds(max - PARKED_RECEIVES, max, 0)).toBe(5);
    expect(returnDelaySeconds(max - 1, max, 1)).toBe(900);
  });

  it('keeps the parked tail at the end of whatever receive budget the queue has', () => {
    // A queue deployed with 20 receives parks from the 10th, as before the budget was read.
    expect(returnDelaySeconds(9, 20, 0)).toBe(1);
    expect(returnDelaySeconds(10, 20, 0)).toBe(5);
    // A budget smaller than the tail parks from the first receive.
    expect(returnDelaySeconds(1, 5, 0)).toBe(5);
    // The default holds a lone message ~35 minutes (49 receives of ~43 s) before parking.
    expect(parkFromReceive(DEFAULT_MAX_RECEIVE_COUNT)).toBe(50);
  });
});
