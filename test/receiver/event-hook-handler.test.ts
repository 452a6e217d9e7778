import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createEventHookHandler } from '../../src/receiver/lambda-handler';
import { loadReceiverConfig } from '../../src/receiver/config';
import { WorkItemSchema } from '../../src/domain/work-item';
import {
  APP_ID,
  delivery,
  envelope,
  GROUP_ID,
  groupAdd,
  groupRemove,
  httpEvent,
  logEvent,
  PREVIOUS_SECRET,
  SECRET,
} from './factories';

const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);

const ENV = {
  FRONTLINE_GROUP_ID: GROUP_ID,
  FRONTLINE_APP_ID: APP_ID,
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/frontline-work.fifo',
  HOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf',
};

const context = {
  functionName: 'event-hook',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:event-hook',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/event-hook',
  logStreamName: '2026/11/27/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 3000,
} as unknown as Context;

function build(env: Record<string, string> = {}) {
  return createEventHookHandler(loadReceiverConfig({ ...ENV, ...env }), {
    sqs: new SQSClient({ region: 'eu-west-1' }),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    timeoutEarlyInMillis: 0,
  });
}

const sentItems = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((e) => WorkItemSchema.parse(JSON.parse(e.MessageBody ?? '')));

beforeEach(() => {
  sqs.reset();
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: SECRET }) });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

describe('Handler: event-hook (through middy)', () => {
  it('answers the verification challenge', async () => {
    const result = await build()(
      httpEvent({
        method: 'GET',
        headers: { 'x-okta-verification-challenge': 'chal-1', authorization: SECRET },
      }),
      context,
    );
    expect(result).toMatchObject({ statusCode: 200, body: '{"verification":"chal-1"}' });
  });

  it('enqueues a 40-event batch as one item per affected user, in order, and answers 200 empty', async () => {
    const users = Array.from({ length: 12 }, (_, i) => `00uUser${i.toString().padStart(13, '0')}`);
    const events = [
      ...users.map((u) => groupAdd(u)),
      ...users.slice(0, 8).map((u) => groupRemove(u)),
      ...users.slice(0, 6).map((u) => logEvent('user.lifecycle.suspend', [{ id: u, type: 'User' }])),
      ...Array.from({ length: 8 }, (_, i) => groupAdd(`00uElse${i}`, '00gOtherGroup')),
      ...Array.from({ length: 6 }, () => logEvent('user.session.start', null)),
    ];
    expect(events).toHaveLength(40);

    const result = await build()(delivery(envelope(events)), context);

    expect(result).toEqual({ statusCode: 200, body: '' });
    const items = sentItems();
    expect(items.map((i) => i.userId)).toEqual(users);
    expect(items.map((i) => i.triggers.length)).toEqual([3, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1]);
    expect(items[0]?.triggers.map((t) => t.eventType)).toEqual([
      'group.user_membership.add',
      'group.user_membership.remove',
      'user.lifecycle.suspend',
    ]);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
      10, 2,
    ]);
  });

  it.each([
    { what: 'a wrong secret', event: delivery(envelope([]), { authorization: 'wrong' }), status: 401 },
    { what: 'a body that is not JSON', event: delivery('not json'), status: 400 },
    { what: 'a body that is not an envelope', event: delivery({ data: {} }), status: 400 },
    {
      what: 'an oversized body',
      event: delivery(JSON.stringify({ data: { events: [] }, pad: 'x'.repeat(1024 * 1024) })),
      status: 413,
    },
    {
      what: 'another method',
      event: httpEvent({ method: 'DELETE', headers: { authorization: SECRET } }),
      status: 405,
    },
    {
      what: 'another path',
      event: httpEvent({ path: '/admin', headers: { authorization: SECRET } }),
      status: 404,
    },
  ])('answers $what with $status and enqueues nothing', async ({ event, status }) => {
    const result = await build()(event, context);
    expect(result.statusCode).toBe(status);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
  });

  it('answers 503 when SQS keeps failing, so Okta retries', async () => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    const result = await build()(delivery(envelope([groupAdd('00uA0000000000000000')])), context);
    expect(result.statusCode).toBe(503);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('follows a rotation without redeploy: refetches once, then accepts the new and the previous secret', async () => {
    secretsManager.reset();
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ current: PREVIOUS_SECRET }) })
      .resolves({ SecretString: JSON.stringify({ current: SECRET, previous: PREVIOUS_SECRET }) });
    const handler = createEventHookHandler(loadReceiverConfig(ENV), {
      sqs: new SQSClient({ region: 'eu-west-1' }),
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      timeoutEarlyInMillis: 0,
      minSecretRefreshIntervalMs: 0,
    });

    const before = await handler(
      delivery(envelope([groupAdd('00uA0000000000000000')]), { authorization: PREVIOUS_SECRET }),
      context,
    );
    const rotated = await handler(
      delivery(envelope([groupAdd('00uB0000000000000000')]), { authorization: SECRET }),
      context,
    );
    const previous = await handler(
      delivery(envelope([groupAdd('00uC0000000000000000')]), { authorization: PREVIOUS_SECRET }),
      context,
    );

    expect([before.statusCode, rotated.statusCode, previous.statusCode]).toEqual([200, 200, 200]);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('refetches at most once per interval when wrong secrets keep arriving', async () => {
    const handler = build();
    await handler(delivery(envelope([]), { authorization: SECRET }), context);
    for (let i = 0; i < 5; i++)
      await handler(delivery(envelope([]), { authorization: `wrong-${i}` }), context);
    // One fetch at cold start; the first mismatch is the only refetch within 30 s.
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('answers 503 when the secret cannot be read', async () => {
    secretsManager.reset();
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const result = await build()(delivery(envelope([groupAdd('00uA0000000000000000')])), context);
    expect(result.statusCode).toBe(503);
  });

  it('writes structured logs that never contain the secret', async () => {
    const lines: string[] = [];
    const spies = (['info', 'warn', 'error', 'log', 'debug'] as const).map((level) =>
      jest
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))),
    );
    const stdout = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    try {
      const handler = createEventHookHandler(loadReceiverConfig(ENV), {
        sqs: new SQSClient({ region: 'eu-west-1' }),
        secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
        logger: new Logger({ serviceName: 'test', logLevel: 'DEBUG' }),
        timeoutEarlyInMillis: 0,
      });
      await handler(delivery(envelope([groupAdd('00uA0000000000000000')])), context);
      await handler(
        delivery(envelope([groupAdd('00uA0000000000000000')]), { authorization: 'wrong-but-secret-looking' }),
        context,
      );
    } finally {
      spies.forEach((s) => s.mockRestore());
      stdout.mockRestore();
    }
    const text = lines.join('\n');
    expect(text).toMatch(/"enqueued":\s*1/);
    expect(text).toContain('c6af9ac6-7b61-11e6-9a41-93e812345678');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('wrong-but-secret-looking');
  });
});

describe('Module: lambdas/event-hook', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('builds its handler from the environment at load and serves with it', async () => {
    Object.assign(process.env, ENV, { AWS_REGION: 'eu-west-1' });
    // A plain require (not isolated) so the module shares the mocked SDK classes with this test.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require('../../lambdas/event-hook') as typeof import('../../lambdas/event-hook');

    const result = await handler(delivery(envelope([groupAdd('00uA0000000000000000')])), context);

    expect(result).toEqual({ statusCode: 200, body: '' });
    expect(sentItems().map((i) => i.userId)).toEqual(['00uA0000000000000000']);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: ENV.HOOK_SECRET_ARN,
    });
  });

  it('refuses to load with a message naming each missing or bad variable', () => {
    Object.assign(process.env, {
      FRONTLINE_GROUP_ID: GROUP_ID,
      WORK_QUEUE_URL: 'https://sqs.example/not-fifo',
    });
    delete process.env.HOOK_SECRET_ARN;
    expect(() =>
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('../../lambdas/event-hook');
      }),
    ).toThrow(/HOOK_SECRET_ARN is required/);
    expect(() =>
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('../../lambdas/event-hook');
      }),
    ).toThrow(/WORK_QUEUE_URL must be the URL of a FIFO queue/);
  });
});
