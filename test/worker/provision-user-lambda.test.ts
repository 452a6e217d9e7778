import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { context, CREDENTIALS_SECRET_ARN, sqsEvent, sqsRecord, workItem, workerLambdaEnv } from './factories';

let emulator: RunningEmulator;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo' });
});

afterAll(async () => {
  process.env = saved;
  await emulator.stop();
});

describe('Lambda: lambdas/provision-user.ts', () => {
  it('wires configuration, Secrets Manager and the Okta SDK at module scope and converges a user', async () => {
    Object.assign(process.env, workerLambdaEnv(emulator.url, { AWS_REGION: 'eu-west-1' }));
    let handler: typeof import('../../lambdas/provision-user').handler | undefined;
    let secretReads = 0;
    const recorded: unknown[] = [];
    await jest.isolateModulesAsync(async () => {
      // The module registry is fresh here, so the AWS SDK classes must be mocked from inside it.
      const { mockClient } = await import('aws-sdk-client-mock');
      const sm = await import('@aws-sdk/client-secrets-manager');
      const sqs = await import('@aws-sdk/client-sqs');
      const ddb = await import('@aws-sdk/client-dynamodb');
      mockClient(sqs.SQSClient);
      mockClient(ddb.DynamoDBClient)
        .on(ddb.PutItemCommand)
        .callsFake((input: { TableName: string; Item: unknown }) => {
          recorded.push({ table: input.TableName, item: input.Item });
          return {};
        });
      mockClient(sm.SecretsManagerClient)
        .on(sm.GetSecretValueCommand, { SecretId: CREDENTIALS_SECRET_ARN })
        .callsFake(() => {
          secretReads += 1;
          return { SecretString: JSON.stringify({ apiToken: emulator.token }) };
        });
      ({ handler } = await import('../../lambdas/provision-user'));
    });

    const result = await handler!(sqsEvent(sqsRecord(workItem(DEMO.users.wrongType))), context);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.wrongType)).toBe(true);
    expect(secretReads).toBe(1);
    // The role "agent" overwrote, recorded in the records table before the write, for the removal to put back.
    expect(recorded).toEqual([
      {
        table: 'records',
        item: expect.objectContaining({
          pk: { S: `user-type#${DEMO.users.wrongType}` },
          userType: { S: 'manager' },
        }),
      },
    ]);
  });

  it('fails at cold start naming the missing variables', async () => {
    process.env = { ...saved };
    await expect(
      jest.isolateModulesAsync(async () => {
        await import('../../lambdas/provision-user');
      }),
    ).rejects.toThrow(/OKTA_CREDENTIALS_SECRET_ARN[\s\S]*FRONTLINE_APP_ID/);
  });
});
