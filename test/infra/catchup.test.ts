import { Match } from 'aws-cdk-lib/assertions';
import { RECORD_KINDS } from '../../src/dynamodb/keys';
import { CATCHUP_METRICS, SERVICE_NAMES } from '../../src/telemetry';
import { configWith, logicalIdOf, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';

describe('Stack: the System Log catch-up', () => {
  const { stack, template } = synthesize(configWith());
  const fnId = logicalIdOf(stack, stack.catchup.handler.function);
  const tableId = logicalIdOf(stack, stack.records.table);

  it(
    'invokes the catch-up function every minute, with retries and a dead-letter queue',
    () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 minute)',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.catchup.scheduleDeadLetterQueue), 'Arn'] },
          },
        }),
      });
    },
    SYNTH_TIMEOUT_MS,
  );

  it('keeps the cursor in the one records table the stack has', () => {
    expect(Object.keys(resourcesOf(template, 'AWS::DynamoDB::GlobalTable'))).toEqual([tableId]);
    const env = (resourcesOf(template, 'AWS::Lambda::Function')[fnId]?.Properties?.Environment ?? {}) as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables.RECORDS_TABLE_NAME).toEqual({ Ref: tableId });
  });

  it('lets the function read and write only the cursor item of the table', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes(logicalIdOf(stack, stack.catchup.handler.role)),
    );
    const statements = policies.flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [RECORD_KINDS.catchupCursor] } },
      }),
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/"dynamodb:\*"|"sqs:\*"/);
  });

  it('hands app lifecycle events to the reconcile function’s prompt app check: its alias, and invoke on it alone', () => {
    const aliasId = logicalIdOf(stack, stack.appCheck.alias);
    const env = (resourcesOf(template, 'AWS::Lambda::Function')[fnId]?.Properties?.Environment ?? {}) as {
      Variables: Record<string, unknown>;
    };
    expect(JSON.stringify(env.Variables.APP_CHECK_FUNCTION_NAME)).toContain(aliasId);
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((p) =>
        JSON.stringify(p.Properties?.Roles).includes(logicalIdOf(stack, stack.catchup.handler.role)),
      )
      .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
    expect(statements.filter((st) => JSON.stringify(st.Action).includes('lambda:'))).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: aliasId } },
    ]);
  });

  it('alarms when the hook is unhealthy and when runs stop completing', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: CATCHUP_METRICS.hookUnhealthy,
      Dimensions: [{ Name: 'service', Value: SERVICE_NAMES.catchup }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: CATCHUP_METRICS.completed,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: CATCHUP_METRICS.failedDeliveries,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});
