import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IGrantable, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RECORD_KINDS } from '../../src/dynamodb/keys';
import { CATCHUP_METRICS, METRICS_NAMESPACE, SERVICE_NAMES } from '../../src/telemetry';
import { catchupEnvironment } from '../lambda-env';
import type { NagAcknowledgement } from '../nag-suppressions';
import { NodeFunction } from './node-function';
import type { RecordsTable } from './records-table';
import type { Policy } from '../../src/domain/policy';

/** Alarm ids of the catch-up, a stable contract: docs/runbook.md has one section per alarm, under the same name. */
export const CATCHUP_ALARM_IDS = [
  'CatchupNotCompleted',
  'CatchupScheduleDeadLetters',
  'EventHookUnhealthy',
  'HookDeliveryFailures',
] as const;
export type CatchupAlarmId = (typeof CATCHUP_ALARM_IDS)[number];

/** Every minute: a dropped hook delivery waits at most about two minutes. */
export const CATCHUP_RATE = Duration.minutes(1);
/** One page of up to 1,000 events and a hook read take seconds; a backlog is paged over several runs. */
export const CATCHUP_TIMEOUT = Duration.seconds(60);

export interface CatchupProps {
  /** Absolute path of lambdas/catchup.ts. */
  readonly entry: string;
  readonly oktaOrgUrl: string;
  /** ProvisionerSecrets.grantReadOktaCredentials (which also covers a customer-managed key). */
  readonly grantReadOktaCredentials: (grantee: IGrantable) => void;
  readonly oktaCredentials: ISecret;
  /** The resolved policy: its Frontline groups select the membership events. */
  readonly policy: Policy;
  readonly appId: string;
  readonly workQueue: IQueue;
  /** The reconcile function: `application.lifecycle.*` events the catch-up finds get its prompt app check. */
  readonly appCheckFunction: IFunction;
  readonly records: RecordsTable;
  readonly alarmTopic: ITopic;
  readonly logRetention: RetentionDays;
  /** @default 900 */
  readonly lookbackSeconds?: number;
}

/**
 * The second layer between the event hook and the hourly reconcile: a scheduled Lambda that reads Okta's System
 * Log from a cursor in the records table and enqueues what it finds for the worker, and reports the hook's
 * health. Its role may read and write only the cursor item, send to the work queue and read the Okta secret.
 */
export class Catchup extends Construct {
  public readonly handler: NodeFunction;
  public readonly schedule: Schedule;
  /** Invocations EventBridge Scheduler could not deliver after its retries. */
  public readonly scheduleDeadLetterQueue: Queue;
  public readonly schedulerRole: Role;
  public readonly alarms: Record<CatchupAlarmId, Alarm>;
  /** cdk-nag findings acknowledged here (infra/nag-suppressions.ts applies them). */
  public readonly acknowledgements: NagAcknowledgement[];

  public constructor(scope: Construct, id: string, props: CatchupProps) {
    super(scope, id);
    this.handler = new NodeFunction(this, 'Function', {
      entry: props.entry,
      description: 'Scheduled: System Log catch-up into the work queue, and the event hook health',
      // Loads the Okta SDK like the worker (CPU-bound at cold start); holds one page of events at most.
      memorySize: 512,
      timeout: CATCHUP_TIMEOUT,
      environment: catchupEnvironment({
        oktaOrgUrl: props.oktaOrgUrl,
        oktaCredentialsSecretArn: props.oktaCredentials.secretArn,
        policy: props.policy,
        appId: props.appId,
        workQueueUrl: props.workQueue.queueUrl,
        recordsTableName: props.records.table.tableName,
        lookbackSeconds: props.lookbackSeconds ?? 900,
        appCheckFunctionName: props.appCheckFunction.functionName,
      }),
      logRetention: props.logRetention,
      // The next minute's run starts from the saved cursor; a retry now would only race it.
      retryAttempts: 0,
    });
    props.grantReadOktaCredentials(this.handler.function);
    props.workQueue.grantSendMessages(this.handler.function);
    // As the receiver does: application.lifecycle.* events get the reconcile's prompt app check.
    this.handler.allowInvoke(props.appCheckFunction);
    props.records.grantItems(
      this.handler.function,
      ['dynamodb:GetItem', 'dynamodb:PutItem'],
      [RECORD_KINDS.catchupCursor],
    );

    this.scheduleDeadLetterQueue = new Queue(this, 'ScheduleDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invoke the catch-up function',
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'System Log catch-up, every minute',
      schedule: ScheduleExpression.rate(CATCHUP_RATE),
      target: new LambdaInvoke(this.handler.function, {
        role: this.schedulerRole,
        retryAttempts: 2,
        // A run older than the next one has nothing to add.
        maxEventAge: Duration.minutes(1),
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });

    const metric = (metricName: string, statistic: string, period = Duration.minutes(5)): IMetric =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAMES.catchup },
        statistic,
        period,
      });
    const alarm = (
      alarmId: CatchupAlarmId,
      m: IMetric,
      threshold: number,
      comparisonOperator: ComparisonOperator,
      meaning: string,
      treatMissingData = TreatMissingData.NOT_BREACHING,
    ): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric: m,
        threshold,
        comparisonOperator,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData,
        alarmDescription: `${meaning} See docs/runbook.md, section "${alarmId}".`,
      });
      const action = new SnsAction(props.alarmTopic);
      created.addAlarmAction(action);
      created.addOkAction(action);
      return created;
    };
    const GTE = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    this.alarms = {
      CatchupNotCompleted: alarm(
        'CatchupNotCompleted',
        metric(CATCHUP_METRICS.completed, 'Sum'),
        1,
        ComparisonOperator.LESS_THAN_THRESHOLD,
        'No System Log catch-up finished in five minutes: dropped hook deliveries wait for the hourly reconcile.',
        // A run that never started publishes nothing, which is exactly this failure.
        TreatMissingData.BREACHING,
      ),
      CatchupScheduleDeadLetters: alarm(
        'CatchupScheduleDeadLetters',
        this.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        1,
        GTE,
        'EventBridge Scheduler could not invoke the catch-up (after its retries) and parked the invocation.',
      ),
      EventHookUnhealthy: alarm(
        'EventHookUnhealthy',
        metric(CATCHUP_METRICS.hookUnhealthy, 'Maximum'),
        1,
        GTE,
        'The Okta event hook is missing, INACTIVE, or UNVERIFIED and re-verification failed: changes arrive only through the catch-up.',
        TreatMissingData.IGNORE,
      ),
      HookDeliveryFailures: alarm(
        'HookDeliveryFailures',
        metric(CATCHUP_METRICS.failedDeliveries, 'Sum'),
        1,
        GTE,
        'Okta logged failed event hook deliveries (event_hook.delivery); the catch-up converges those events.',
      ),
    };

    const functionLogicalId = Stack.of(this).getLogicalId(
      this.handler.function.node.defaultChild as CfnElement,
    );
    this.acknowledgements = [
      {
        scope: this.schedulerRole,
        id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
        reason:
          'The scheduler role may invoke only the catch-up function; the ":*" suffix, added by the LambdaInvoke target, covers that function’s versions and aliases.',
      },
      {
        scope: this.handler.role,
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray trace submission (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions, so AWS requires Resource "*".',
      },
      {
        scope: this.handler.function,
        id: 'Serverless-LambdaDLQ',
        reason:
          'A failed run leaves the cursor where it was and the next minute’s run repeats it; CatchupNotCompleted alarms when runs keep failing.',
      },
      {
        scope: this.handler.function,
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          'A failed run leaves the cursor where it was and the next minute’s run repeats it; CatchupNotCompleted alarms when runs keep failing.',
      },
      {
        scope: this.scheduleDeadLetterQueue,
        id: 'AwsSolutions-SQS3',
        reason:
          'This is the catch-up schedule’s dead-letter queue; what lands here raises CatchupScheduleDeadLetters and waits for an operator.',
      },
      {
        scope: this.scheduleDeadLetterQueue,
        id: 'Serverless-SQSRedrivePolicy',
        reason:
          'This is the catch-up schedule’s dead-letter queue; what lands here raises CatchupScheduleDeadLetters and waits for an operator.',
      },
    ];
  }
}
