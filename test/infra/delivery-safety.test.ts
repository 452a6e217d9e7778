import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { FrontlineStack } from '../../infra/frontline-stack';
import { METRICS_NAMESPACE, RECONCILE_METRICS, SERVICE_NAMES } from '../../src/telemetry';
import { configWith, logicalIdOf, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-creds-AbCdEf';

function policyStatements(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties?.Roles).includes(roleLogicalId))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('Stack: alarms that reach someone and a schedule that is watched', () => {
  let stack: FrontlineStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesize(configWith({ reconcileRate: '2 hours' })));
  }, SYNTH_TIMEOUT_MS);

  it('lets only this account’s CloudWatch alarms publish to the alarm topic, and still denies non-TLS', () => {
    const policies = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(1);
    const statements = (policies[0]?.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
    const allow = statements.find((s) => s.Effect === 'Allow');
    expect(allow).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: logicalIdOf(stack, stack.monitoring.topic) },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudwatch:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':alarm:*',
              ],
            ],
          },
        },
      },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('gives the schedule a dead-letter queue and alarms on the first parked invocation', () => {
    const dlqId = logicalIdOf(stack, stack.scheduleDeadLetterQueue);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms when no reconcile completed for two intervals, counting a missing datapoint as a miss', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: RECONCILE_METRICS.reconcileCompleted,
      Dimensions: [{ Name: 'service', Value: SERVICE_NAMES.reconcile }],
      Statistic: 'Sum',
      Period: 7200,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('does not turn on --enable-source-maps, which costs every cold start (measured: node-function.ts)', () => {
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      expect(JSON.stringify(fn.Properties?.Environment ?? {})).not.toContain('enable-source-maps');
    }
  });

  it('watches the reconcile metrics under the names in src/telemetry.ts', () => {
    const watched = [
      RECONCILE_METRICS.appFindings,
      RECONCILE_METRICS.appRepairFailed,
      RECONCILE_METRICS.certChanged,
      RECONCILE_METRICS.certDaysToExpiry,
      RECONCILE_METRICS.guardTrips,
      RECONCILE_METRICS.reconcileCompleted,
    ];
    for (const metricName of watched) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: SERVICE_NAMES.reconcile }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CertificateDaysToExpiry',
      Threshold: 30,
      ComparisonOperator: 'LessThanThreshold',
    });
  });

  it('grants no KMS rights when the credentials secret uses the AWS managed key', () => {
    const kms = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) =>
        JSON.stringify(s.Action).includes('kms:'),
      ),
    );
    expect(kms).toEqual([]);
  });
});

describe('Stack: an existing credentials secret under a customer-managed KMS key', () => {
  let stack: FrontlineStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesize(
      configWith({
        existingOktaCredentialsSecretArn: SECRET_ARN,
        existingOktaCredentialsKmsKeyArn: KEY_ARN,
      }),
    ));
  }, SYNTH_TIMEOUT_MS);

  it('lets each function that reads the secret decrypt with that key, only through Secrets Manager', () => {
    for (const fn of [stack.worker, stack.reconcile]) {
      const decrypt = policyStatements(template, logicalIdOf(stack, fn.role)).filter((s) =>
        JSON.stringify(s.Action).includes('kms:Decrypt'),
      );
      expect(decrypt).toEqual([
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: KEY_ARN,
          Condition: {
            StringEquals: {
              'kms:ViaService': {
                'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
              },
            },
          },
        },
      ]);
    }
  });

  it('gives the receiver, which never reads the Okta credentials, no KMS rights', () => {
    const statements = policyStatements(template, logicalIdOf(stack, stack.receiver.role));
    expect(statements.some((s) => JSON.stringify(s.Action).includes('kms:'))).toBe(false);
  });
});
