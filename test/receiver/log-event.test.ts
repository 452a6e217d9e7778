import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { loadReceiverConfig } from '../../src/receiver/config';
import { createEventHookHandler } from '../../src/receiver/lambda-handler';
import { delivery, envelope, GROUP_ID, groupAdd, SECRET } from './factories';

const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);

const ENV = {
  FRONTLINE_GROUP_ID: GROUP_ID,
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/frontline-work.fifo',
  HOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf',
};
const context = {
  functionName: 'event-hook',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 3000,
} as unknown as Context;

/** Everything Powertools prints while `fn` runs. */
async function captured(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.join(' '))),
  );
  const stdout = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  try {
    await fn();
  } finally {
    spies.forEach((s) => s.mockRestore());
    stdout.mockRestore();
  }
  return lines.join('\n');
}

describe('Handler: event-hook with POWERTOOLS_LOGGER_LOG_EVENT=true', () => {
  beforeEach(() => {
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
    sqs.reset();
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: SECRET }) });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });
  afterEach(() => {
    delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  });

  it('would log the raw event, Authorization header included, without the pin (the setting is live)', async () => {
    const logger = new Logger({ serviceName: 'test', logLevel: 'INFO' });
    const unpinned = middy(async () => ({ statusCode: 200 })).use(injectLambdaContext(logger));
    const text = await captured(() => unpinned(delivery(envelope([groupAdd('00uA')])), context));
    expect(text).toContain(SECRET);
  });

  it('never logs the event, so the hook secret stays out of the logs', async () => {
    const handler = createEventHookHandler(loadReceiverConfig(ENV), {
      sqs: new SQSClient({ region: 'eu-west-1' }),
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      logger: new Logger({ serviceName: 'test', logLevel: 'INFO' }),
      timeoutEarlyInMillis: 0,
    });
    let result: unknown;
    const text = await captured(async () => {
      result = await handler(delivery(envelope([groupAdd('00uA')])), context);
    });
    expect(result).toEqual({ statusCode: 200, body: '' });
    expect(text).not.toContain(SECRET);
  });
});
