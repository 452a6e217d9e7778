import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaAppCheckTrigger } from '../../src/receiver/app-check-trigger';

describe('Function: lambdaAppCheckTrigger', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());

  it('invokes the reconcile function asynchronously with an app-check payload of ids and types only', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const trigger = lambdaAppCheckTrigger(new LambdaClient({}), 'frontline-reconcile');

    await trigger([
      {
        uuid: 'e-1',
        eventType: 'application.lifecycle.update',
        published: '2026-11-28T01:00:00.000Z',
        target: [{ id: '0oa1', type: 'AppInstance' }],
        actor: { id: '00uadmin000000000000', type: 'User', alternateId: 'admin@example.com' },
      },
    ] as never);

    const call = lambda.commandCalls(InvokeCommand)[0]!;
    expect(call.args[0].input.FunctionName).toBe('frontline-reconcile');
    expect(call.args[0].input.InvocationType).toBe('Event');
    expect(JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array))).toEqual({
      kind: 'app-check',
      events: [
        { uuid: 'e-1', eventType: 'application.lifecycle.update', published: '2026-11-28T01:00:00.000Z' },
      ],
    });
  });

  it('rejects when Lambda does not accept the invocation, so the receiver answers 5xx and Okta retries', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 500 });
    const trigger = lambdaAppCheckTrigger(new LambdaClient({}), 'frontline-reconcile');

    await expect(
      trigger([{ uuid: 'e-1', eventType: 'application.lifecycle.delete' }] as never),
    ).rejects.toThrow('answered 500');
  });
});
