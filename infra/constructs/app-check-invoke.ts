import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Alias, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { NagAcknowledgement } from '../nag-suppressions';

/** Alarm ids of the prompt app check, a stable contract: docs/runbook.md has a section under the same name. */
export const APP_CHECK_ALARM_IDS = ['AppCheckFailed'] as const;
export type AppCheckAlarmId = (typeof APP_CHECK_ALARM_IDS)[number];

/** The alias the receiver and the catch-up invoke; the scheduled runs invoke the function itself. */
export const APP_CHECK_ALIAS_NAME = 'app-check';
/** Lambda's own retries of a failed prompt app check (its most), before the failure queue. */
export const APP_CHECK_RETRY_ATTEMPTS = 2;

export interface AppCheckInvokeProps {
  /** The reconcile function: `{kind: "app-check"}` runs the app check (src/reconcile/lambda-handler.ts). */
  readonly reconcile: IFunction;
}

/**
 * The prompt app check's way in: the receiver and the catch-up invoke the reconcile function asynchronously on the
 * app's lifecycle events. A failed check is retried by Lambda and then parked in a queue an alarm watches, while the
 * scheduled run keeps its 0 retries (a failed run is alarmed and the next one redoes it all). Asynchronous retries
 * and destinations are set per qualifier, so the app check goes through an alias of its own: the alias points at
 * `$LATEST` (the code the schedule runs, with no version to publish per deploy) and carries its own invoke config;
 * the unqualified function keeps the scheduled run's. Invoke rights are on the alias alone, so the hand-off cannot
 * bypass the retries.
 */
export class AppCheckInvoke extends Construct {
  /** What the receiver and the catch-up invoke (its `functionName` is `<reconcile>:app-check`). */
  public readonly alias: Alias;
  /** Failed prompt app checks, after Lambda's retries: Lambda's invocation record (event ids, types, the error). */
  public readonly failureQueue: Queue;
  public readonly alarms: Record<AppCheckAlarmId, Alarm>;
  /** cdk-nag findings acknowledged here (infra/nag-suppressions.ts applies them). */
  public readonly acknowledgements: NagAcknowledgement[];

  public constructor(scope: Construct, id: string, props: AppCheckInvokeProps) {
    super(scope, id);
    this.failureQueue = new Queue(this, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.alias = new Alias(this, 'Alias', {
      aliasName: APP_CHECK_ALIAS_NAME,
      version: props.reconcile.latestVersion,
      retryAttempts: APP_CHECK_RETRY_ATTEMPTS,
      // Grants the reconcile's role sqs:SendMessage on this queue.
      onFailure: new SqsDestination(this.failureQueue),
    });
    this.alarms = {
      AppCheckFailed: new Alarm(this, 'AppCheckFailed', {
        metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription:
          'A prompt app check (on the Frontline app’s lifecycle events) failed after Lambda’s retries and was parked; the app is checked again at the next scheduled reconcile. See docs/runbook.md, section "AppCheckFailed".',
      }),
    };
    const reason =
      'This is the prompt app check’s on-failure destination; what lands here raises AppCheckFailed and waits for an operator (docs/runbook.md).';
    this.acknowledgements = [
      { scope: this.failureQueue, id: 'AwsSolutions-SQS3', reason },
      { scope: this.failureQueue, id: 'Serverless-SQSRedrivePolicy', reason },
    ];
  }

  /** Sends the alarms, on alarm and on recovery, to the stack's alarm topic (created after this construct). */
  public notify(topic: ITopic): void {
    const action = new SnsAction(topic);
    for (const alarm of Object.values(this.alarms)) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
