import { Match } from 'aws-cdk-lib/assertions';
import { APP_CHECK_ALIAS_NAME, APP_CHECK_RETRY_ATTEMPTS } from '../../infra/constructs/app-check-invoke';
import { ENV } from '../../infra/lambda-env';
import {
  configWith,
  logicalIdOf,
  resourcesOf,
  synthesize,
  SYNTH_TIMEOUT_MS,
  type Synthesized,
} from './helpers';

/*
 * The prompt app check (receiver and catch-up → reconcile, asynchronously) is retried and then parked in a queue
 * an alarm watches, while the scheduled reconcile run keeps its 0 retries.
 */
describe('Stack: the prompt app check hand-off', () => {
  let s: Synthesized;
  let reconcileId: string;
  let aliasId: string;
  let queueId: string;
  beforeAll(() => {
    s = synthesize(configWith());
    reconcileId = logicalIdOf(s.stack, s.stack.reconcile.function);
    aliasId = logicalIdOf(s.stack, s.stack.appCheck.alias);
    queueId = logicalIdOf(s.stack, s.stack.appCheck.failureQueue);
  }, SYNTH_TIMEOUT_MS);

  const invokeConfigs = () =>
    Object.values(resourcesOf(s.template, 'AWS::Lambda::EventInvokeConfig')).map((r) => r.Properties ?? {});

  it('gives the app check an alias of the reconcile function at $LATEST', () => {
    s.template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: APP_CHECK_ALIAS_NAME,
      FunctionName: { Ref: reconcileId },
      FunctionVersion: '$LATEST',
    });
  });

  it('retries a failed app check and then sends it to the failure queue', () => {
    expect(invokeConfigs()).toContainEqual({
      FunctionName: { Ref: reconcileId },
      // The alias's name, read from its ARN at deploy time.
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: aliasId }] }] },
      MaximumRetryAttempts: APP_CHECK_RETRY_ATTEMPTS,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(APP_CHECK_RETRY_ATTEMPTS).toBeGreaterThan(0);
  });

  it('keeps the scheduled run (the unqualified function) at 0 retries', () => {
    expect(invokeConfigs()).toContainEqual({
      FunctionName: { Ref: reconcileId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
    });
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [reconcileId, 'Arn'] } }),
    });
  });

  it('lets the reconcile function send to the failure queue', () => {
    const role = logicalIdOf(s.stack, s.stack.reconcile.role);
    const statements = Object.values(resourcesOf(s.template, 'AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties?.Roles).includes(role))
      .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      }),
    );
  });

  it('points the receiver and the catch-up at the alias, and lets them invoke only the alias', () => {
    for (const fn of [s.stack.receiver, s.stack.catchup.handler]) {
      const props = resourcesOf(s.template, 'AWS::Lambda::Function')[logicalIdOf(s.stack, fn.function)]
        ?.Properties as { Environment: { Variables: Record<string, unknown> } };
      expect(JSON.stringify(props.Environment.Variables[ENV.appCheckFunctionName])).toContain(
        `:${APP_CHECK_ALIAS_NAME}`,
      );
      const role = logicalIdOf(s.stack, fn.role);
      const invoke = Object.values(resourcesOf(s.template, 'AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties?.Roles).includes(role))
        .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement)
        .filter((st) => JSON.stringify(st.Action).includes('lambda:'));
      expect(invoke).toEqual([
        { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: aliasId } },
      ]);
    }
  });

  it('outputs the failure queue’s URL for the runbook', () => {
    s.template.hasOutput('AppCheckFailureQueueUrl', { Value: { Ref: queueId } });
  });

  it('alarms to the alarm topic as soon as one failed check is parked', () => {
    const topic = { Ref: logicalIdOf(s.stack, s.stack.monitoring.topic) };
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmDescription: Match.stringLikeRegexp('docs/runbook.md, section "AppCheckFailed"'),
    });
  });
});
