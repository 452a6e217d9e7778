import { Aws, Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, RECONCILE_METRICS, SERVICE_NAMES } from '../../src/telemetry';

export interface MonitoringProps {
  readonly receiver: IFunction;
  readonly worker: IFunction;
  readonly reconcile: IFunction;
  readonly api: HttpApi;
  readonly workQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** Where EventBridge Scheduler parks reconcile invocations it could not deliver. */
  readonly scheduleDeadLetterQueue: IQueue;
  /** The reconcile schedule's rate, in minutes: `ReconcileNotCompleted` waits two of them. */
  readonly reconcileRateMinutes: number;
  /** @default no subscription */
  readonly alarmEmail?: string | undefined;
  readonly certificateExpiryWarningDays: number;
  readonly dashboardName: string;
}

/**
 * Alarm ids, a stable contract: docs/runbook.md has one section per alarm, under the same name.
 * Each alarm's description starts with what it means and points at the runbook.
 */
export const ALARM_IDS = [
  'DeadLetterQueueNotEmpty',
  'WorkQueueStalled',
  'WorkerErrors',
  'ReceiverServerErrors',
  'ReconcileErrors',
  'ReconcileScheduleDeadLetters',
  'ReconcileNotCompleted',
  'AppConfigFindings',
  'AppRepairFailed',
  'CertificateChanged',
  'CertificateExpiring',
  'MassRemovalGuardTripped',
  'AssignmentScopeContradicts',
] as const;
export type AlarmId = (typeof ALARM_IDS)[number];

const FIVE_MINUTES = Duration.minutes(5);

/** The alarm topic (with the optional email subscription), the alarms and the dashboard. */
export class Monitoring extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Record<AlarmId, Alarm>;
  public readonly dashboard: Dashboard;
  /** Present when the config names an alarm email. */
  public readonly emailSubscription: Subscription | undefined;

  public constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Frontline Okta provisioner alarms',
      enforceSSL: true,
    });
    // enforceSSL makes CDK write a topic policy, and a topic policy replaces SNS's default one, which is what let
    // CloudWatch publish: without this Allow no alarm notification is ever delivered. Only this account's alarms
    // in this region may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    this.emailSubscription = props.alarmEmail
      ? new Subscription(this, 'AlarmEmail', {
          topic: this.topic,
          protocol: SubscriptionProtocol.EMAIL,
          endpoint: props.alarmEmail,
        })
      : undefined;

    const reconcileMetric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAMES.reconcile },
        statistic,
        period: FIVE_MINUTES,
      });

    const m = {
      scheduleDlqVisible: props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: FIVE_MINUTES,
      }),
      // One period per scheduled interval, so "missing for two periods" is "two runs did not finish".
      completed: reconcileMetric(RECONCILE_METRICS.reconcileCompleted, 'Sum').with({
        period: Duration.minutes(props.reconcileRateMinutes),
      }),
      dlqVisible: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      queueVisible: props.workQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      oldestAge: props.workQueue.metricApproximateAgeOfOldestMessage({
        statistic: 'Maximum',
        period: FIVE_MINUTES,
      }),
      sent: props.workQueue.metricNumberOfMessagesSent({ statistic: 'Sum', period: FIVE_MINUTES }),
      deleted: props.workQueue.metricNumberOfMessagesDeleted({ statistic: 'Sum', period: FIVE_MINUTES }),
      requests: props.api.metricCount({ statistic: 'Sum', period: FIVE_MINUTES }),
      clientErrors: props.api.metricClientError({ statistic: 'Sum', period: FIVE_MINUTES }),
      serverErrors: props.api.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES }),
      latency: props.api.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }),
      workerErrors: props.worker.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
      workerInvocations: props.worker.metricInvocations({ statistic: 'Sum', period: FIVE_MINUTES }),
      workerDuration: props.worker.metricDuration({ statistic: 'p99', period: FIVE_MINUTES }),
      receiverErrors: props.receiver.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
      receiverDuration: props.receiver.metricDuration({ statistic: 'p99', period: FIVE_MINUTES }),
      reconcileErrors: props.reconcile.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
      reconcileDuration: props.reconcile.metricDuration({ statistic: 'Maximum', period: FIVE_MINUTES }),
      findings: reconcileMetric(RECONCILE_METRICS.appFindings, 'Maximum'),
      breaksSso: reconcileMetric(RECONCILE_METRICS.appBreaksSso, 'Maximum'),
      repairFailed: reconcileMetric(RECONCILE_METRICS.appRepairFailed, 'Maximum'),
      enqueued: reconcileMetric(RECONCILE_METRICS.enqueued, 'Sum'),
      unmanaged: reconcileMetric(RECONCILE_METRICS.unmanaged, 'Maximum'),
      certChanged: reconcileMetric(RECONCILE_METRICS.certChanged, 'Maximum'),
      certDays: reconcileMetric(RECONCILE_METRICS.certDaysToExpiry, 'Minimum'),
      guardTrips: reconcileMetric(RECONCILE_METRICS.guardTrips, 'Sum'),
      planned: reconcileMetric(RECONCILE_METRICS.plannedChanges, 'Sum'),
      scopeFindings: reconcileMetric(RECONCILE_METRICS.scopeFindings, 'Maximum'),
    };

    const runbook = 'See docs/runbook.md, section';
    const alarm = (
      alarmId: AlarmId,
      metric: IMetric,
      threshold: number,
      comparisonOperator: ComparisonOperator,
      meaning: string,
      // Reconcile metrics arrive once per run: between runs the alarm keeps the last run's verdict.
      treatMissingData: TreatMissingData = TreatMissingData.NOT_BREACHING,
      evaluationPeriods = 1,
    ): Alarm => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods,
        datapointsToAlarm: evaluationPeriods,
        treatMissingData,
        alarmDescription: `${meaning} ${runbook} "${alarmId}".`,
      });
      const action = new SnsAction(this.topic);
      created.addAlarmAction(action);
      created.addOkAction(action);
      return created;
    };
    const GTE = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const kept = TreatMissingData.IGNORE;
    this.alarms = {
      DeadLetterQueueNotEmpty: alarm(
        'DeadLetterQueueNotEmpty',
        m.dlqVisible,
        1,
        GTE,
        'Work items failed every retry and are parked in the dead-letter queue; those users are not converged.',
      ),
      WorkQueueStalled: alarm(
        'WorkQueueStalled',
        m.oldestAge,
        1800,
        GTE,
        'A work item has waited over 30 minutes: the worker is failing, throttled or rate-limited by Okta.',
      ),
      WorkerErrors: alarm(
        'WorkerErrors',
        m.workerErrors,
        1,
        GTE,
        'The provisioning worker crashed (whole invocation failed, not a single item).',
      ),
      ReceiverServerErrors: alarm(
        'ReceiverServerErrors',
        m.serverErrors,
        1,
        GTE,
        'The event-hook endpoint answered 5xx: events may be lost after Okta’s single retry.',
      ),
      ReconcileErrors: alarm(
        'ReconcileErrors',
        m.reconcileErrors,
        1,
        GTE,
        'The scheduled reconcile failed; missed events are not being caught up.',
      ),
      ReconcileScheduleDeadLetters: alarm(
        'ReconcileScheduleDeadLetters',
        m.scheduleDlqVisible,
        1,
        GTE,
        'EventBridge Scheduler could not invoke the reconcile (after its retries) and parked the invocation.',
      ),
      ReconcileNotCompleted: alarm(
        'ReconcileNotCompleted',
        m.completed,
        1,
        ComparisonOperator.LESS_THAN_THRESHOLD,
        'No scheduled reconcile has finished for two intervals: missed events are not being caught up.',
        // No datapoint is exactly the failure this alarm exists for: a run that never started publishes nothing.
        TreatMissingData.BREACHING,
        2,
      ),
      AppConfigFindings: alarm(
        'AppConfigFindings',
        m.findings,
        0,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        'The Frontline SAML app drifted from a valid configuration (SSO may be broken).',
        kept,
      ),
      AppRepairFailed: alarm(
        'AppRepairFailed',
        m.repairFailed,
        1,
        GTE,
        'A repair of the Frontline SAML app did not stick (Okta did not keep a value), or the app is missing.',
        kept,
      ),
      CertificateChanged: alarm(
        'CertificateChanged',
        m.certChanged,
        1,
        GTE,
        'The SAML signing certificate changed: paste the new one into Frontline’s console or SSO breaks.',
        kept,
      ),
      CertificateExpiring: alarm(
        'CertificateExpiring',
        m.certDays,
        props.certificateExpiryWarningDays,
        ComparisonOperator.LESS_THAN_THRESHOLD,
        `The SAML signing certificate expires within ${props.certificateExpiryWarningDays} days.`,
        kept,
      ),
      MassRemovalGuardTripped: alarm(
        'MassRemovalGuardTripped',
        m.guardTrips,
        1,
        GTE,
        'The reconcile would have removed too many assignments at once and changed nothing.',
        kept,
      ),
      AssignmentScopeContradicts: alarm(
        'AssignmentScopeContradicts',
        m.scopeFindings,
        0,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        'App assignments contradict the assignment mode (a leaver may keep Frontline, or a group grants it to someone outside the group); Okta’s API cannot convert them.',
        kept,
      ),
    };

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
    });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## Frontline Okta provisioner\nOkta event hook → receiver → FIFO work queue → worker → Okta; the reconcile catches up hourly. Alarms: docs/runbook.md.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Event hook requests', [m.requests, m.clientErrors, m.serverErrors]),
      graph('Event hook latency p99 (ms)', [m.latency, m.receiverDuration]),
      graph('Work items enqueued / converged', [m.sent, m.deleted]),
    );
    this.dashboard.addWidgets(
      graph('Work queue backlog', [m.queueVisible], [m.oldestAge]),
      graph('Worker invocations / errors', [m.workerInvocations, m.workerErrors], [m.workerDuration]),
      new SingleValueWidget({ title: 'Dead-letter queue', metrics: [m.dlqVisible], width: 8, height: 6 }),
    );
    this.dashboard.addWidgets(
      graph(
        'Reconcile: planned / enqueued / unmanaged',
        [m.planned, m.enqueued, m.unmanaged, m.scopeFindings],
        [m.reconcileDuration],
      ),
      graph(
        'SAML app findings / certificate days left',
        [m.findings, m.breaksSso, m.repairFailed],
        [m.certDays],
      ),
      new SingleValueWidget({
        title: 'Reconcile guard trips / errors',
        metrics: [m.guardTrips, m.reconcileErrors, m.receiverErrors],
        width: 8,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: ALARM_IDS.map((alarmId) => this.alarms[alarmId]),
        width: 24,
        height: 3,
      }),
    );
  }
}
