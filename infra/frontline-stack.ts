import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { type DeploymentConfig, rateMinutes } from './config';
import { deploymentPolicy } from './deployment-policy';
import { AppCheckInvoke } from './constructs/app-check-invoke';
import { Catchup } from './constructs/catchup';
import { EventHookApi } from './constructs/event-hook-api';
import { Monitoring } from './constructs/monitoring';
import { NodeFunction } from './constructs/node-function';
import { OktaBootstrap } from './constructs/okta-bootstrap';
import { RecordsTable } from './constructs/records-table';
import { ProvisionerSecrets } from './constructs/secrets';
import { WorkQueue } from './constructs/work-queue';
import { receiverEnvironment, reconcileEnvironment, workerEnvironment } from './lambda-env';
import { applyNagSuppressions } from './nag-suppressions';
import { certificateKey } from '../src/dynamodb/keys';

const REPO_ROOT = join(__dirname, '..');

/** Handler files, one per Lambda. */
export interface LambdaEntries {
  readonly receiver: string;
  readonly worker: string;
  readonly reconcile: string;
  readonly bootstrap: string;
  readonly catchup: string;
}

export const DEFAULT_LAMBDA_ENTRIES: LambdaEntries = {
  receiver: join(REPO_ROOT, 'lambdas', 'event-hook.ts'),
  worker: join(REPO_ROOT, 'lambdas', 'provision-user.ts'),
  reconcile: join(REPO_ROOT, 'lambdas', 'reconcile.ts'),
  bootstrap: join(REPO_ROOT, 'lambdas', 'okta-bootstrap.ts'),
  catchup: join(REPO_ROOT, 'lambdas', 'catchup.ts'),
};

/**
 * Timeouts, and why. The receiver must answer inside Okta's 3-second window; it only parses, authenticates and
 * enqueues, so 5 s leaves room for a cold start plus one slow SQS call (the enqueue then still completes, and
 * Okta's retry is deduplicated by the FIFO queue). A worker batch converges up to WORKER_BATCH_SIZE users with a
 * few Okta calls each (10 s request timeout) and hands 429s back to the queue instead of sleeping, so 60 s is
 * ample. The reconcile pages through every group member and app user, pacing itself by Okta's rate-limit
 * headers; 10 minutes covers the 10,000-member benchmark with margin and stays under the 15-minute minimum rate.
 */
export const TIMEOUTS = {
  receiver: Duration.seconds(5),
  worker: Duration.seconds(60),
  reconcile: Duration.minutes(10),
} as const;

/** Lambda's guidance for SQS event sources: visibility timeout at least 6× the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Records per worker invocation. FIFO order is kept within a batch; ten users is a few seconds of Okta calls. */
export const WORKER_BATCH_SIZE = 10;

export interface FrontlineStackProps extends StackProps {
  readonly config: DeploymentConfig;
  /** @default DEFAULT_LAMBDA_ENTRIES (the files in lambdas/) */
  readonly entries?: Partial<LambdaEntries>;
}

/**
 * The whole deployment: Okta → API Gateway → receiver → SQS FIFO → worker → Okta, a scheduled reconcile that
 * feeds the same queue, the two secrets, alarms and a dashboard, and optionally the Okta bootstrap.
 * Environment-agnostic (no account or region lookups), so `cdk synth` runs offline.
 */
export class FrontlineStack extends Stack {
  public readonly workQueue: WorkQueue;
  public readonly secrets: ProvisionerSecrets;
  /** Durable records shared by the features (catch-up cursor, identities, certificate baseline). */
  public readonly records: RecordsTable;
  public readonly receiver: NodeFunction;
  public readonly worker: NodeFunction;
  public readonly reconcile: NodeFunction;
  /** The prompt app check's alias of the reconcile function: retried, then parked (constructs/app-check-invoke.ts). */
  public readonly appCheck: AppCheckInvoke;
  public readonly api: EventHookApi;
  public readonly schedule: Schedule;
  /** Reconcile invocations EventBridge Scheduler could not deliver after its retries. */
  public readonly scheduleDeadLetterQueue: Queue;
  public readonly monitoring: Monitoring;
  /** The scheduled System Log catch-up and hook health (infra/constructs/catchup.ts). */
  public readonly catchup: Catchup;
  public readonly bootstrap: OktaBootstrap | undefined;

  public constructor(scope: Construct, id: string, props: FrontlineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const entries = { ...DEFAULT_LAMBDA_ENTRIES, ...props.entries };
    const logRetention = config.logRetentionDays as RetentionDays;

    Tags.of(this).add('app', 'frontline-okta-provisioner');
    for (const [key, value] of Object.entries(config.tags)) Tags.of(this).add(key, value);

    this.secrets = new ProvisionerSecrets(this, 'Secrets', {
      existingOktaCredentialsSecretArn: config.existingOktaCredentialsSecretArn,
      existingOktaCredentialsKmsKeyArn: config.existingOktaCredentialsKmsKeyArn,
    });
    this.records = new RecordsTable(this, 'Records');
    this.workQueue = new WorkQueue(this, 'Work', {
      maxReceiveCount: config.maxReceiveCount,
      visibilityTimeout: Duration.seconds(TIMEOUTS.worker.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
    });

    const policy = deploymentPolicy(config);
    this.bootstrap = config.bootstrap
      ? new OktaBootstrap(this, 'OktaBootstrap', {
          entry: entries.bootstrap,
          oktaOrgUrl: config.oktaOrgUrl,
          oktaCredentials: this.secrets.oktaCredentials,
          realmSid: config.realmSid,
          appLabel: config.appLabel,
          appId: config.appId,
          usernameTemplate: policy.pinnedUserNameTemplate,
          assignmentMode: policy.assignmentMode,
          groupIds: policy.groupIds,
          logRetention,
        })
      : undefined;
    if (this.bootstrap) this.secrets.grantReadOktaCredentials(this.bootstrap.handler.function);
    // The config guarantees one of the two.
    const appId = this.bootstrap?.appId ?? (config.appId as string);
    const queueUrl = this.workQueue.queue.queueUrl;
    const frontline = {
      twilioCredentialsSecretArn: this.secrets.twilioCredentials.secretArn,
      recordsTableName: this.records.table.tableName,
    };

    this.worker = new NodeFunction(this, 'Worker', {
      entry: entries.worker,
      description: 'Converges one Okta user per work item: userType and Frontline app assignment',
      // Loading the Okta SDK is CPU-bound (~200–320 ms); 512 MB shortens cold starts, and memory use is small.
      memorySize: 512,
      timeout: TIMEOUTS.worker,
      environment: workerEnvironment({
        oktaOrgUrl: config.oktaOrgUrl,
        oktaCredentialsSecretArn: this.secrets.oktaCredentials.secretArn,
        policy,
        appId,
        recordsTableName: this.records.table.tableName,
        maxReceiveCount: config.maxReceiveCount,
        frontline,
      }),
      logRetention,
    });
    this.secrets.grantReadOktaCredentials(this.worker.function);
    // Frontline offboarding: the worker records identities (PutItem) and reads them back (GetItem), nothing else:
    // identity items only, never the certificate baseline or the catch-up cursor beside them.
    this.secrets.twilioCredentials.grantRead(this.worker.function);
    this.records.grantIdentities(this.worker.function);
    // The userType values onboarding overwrote, put back on removal (src/domain/user-type-memory.ts).
    this.records.grantUserTypes(this.worker.function);
    // Grants receive/delete/ChangeMessageVisibility on this queue only (the worker delays 429'd items itself).
    this.worker.function.addEventSource(
      new SqsEventSource(this.workQueue.queue, {
        batchSize: WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
        // Okta allows 15–75 in-flight requests per org and the apps bucket 100/min: a couple of workers suffice.
        maxConcurrency: config.workerMaxConcurrency,
      }),
    );

    this.reconcile = new NodeFunction(this, 'Reconcile', {
      entry: entries.reconcile,
      description: 'Scheduled: checks the Frontline SAML app and enqueues per-user changes for the worker',
      // Holds the member and app-user lists (goal < 256 MB at 10,000 members); 512 MB leaves 2× headroom.
      memorySize: 512,
      timeout: TIMEOUTS.reconcile,
      environment: reconcileEnvironment({
        oktaOrgUrl: config.oktaOrgUrl,
        oktaCredentialsSecretArn: this.secrets.oktaCredentials.secretArn,
        policy,
        appId,
        workQueueUrl: queueUrl,
        realmSid: config.realmSid,
        appCheckMode: config.appCheckMode,
        appLabel: config.appLabel,
        // Bootstrap prints the certificate as a stack output for ops to paste: that one counts as confirmed.
        recordsTableName: this.records.table.tableName,
        confirmedCertificateSha256:
          config.confirmedCertificateSha256 ?? this.bootstrap?.certificateFingerprint,
        certificateExpiryWarningDays: config.certificateExpiryWarningDays,
        frontline,
      }),
      logRetention,
      // A failed run is alarmed and the next scheduled run redoes everything; retrying it now only adds Okta load.
      retryAttempts: 0,
    });
    this.secrets.grantReadOktaCredentials(this.reconcile.function);
    this.records.grantItems(this.reconcile.function, ['dynamodb:GetItem'], [certificateKey(appId)]);
    this.workQueue.queue.grantSendMessages(this.reconcile.function);
    // The Frontline check lists the identities (Scan) and deactivates through Twilio; it records the identities of
    // members who hold the app with none on record (GetItem, PutItem on identity items only).
    this.secrets.twilioCredentials.grantRead(this.reconcile.function);
    this.records.table.grant(this.reconcile.function, 'dynamodb:Scan');
    this.records.grantIdentities(this.reconcile.function);

    this.scheduleDeadLetterQueue = new Queue(this, 'ReconcileScheduleDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.schedule = new Schedule(this, 'ReconcileSchedule', {
      description: `Full reconcile of the Frontline group and app, every ${config.reconcileRate}`,
      schedule: ScheduleExpression.rate(Duration.minutes(rateMinutes(config.reconcileRate))),
      target: new LambdaInvoke(this.reconcile.function, {
        // Scheduler retries only failed invocations (throttling, service errors), not a failed run.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(15),
        // What still fails lands here and raises ReconcileScheduleDeadLetters (the target grants itself send).
        deadLetterQueue: this.scheduleDeadLetterQueue,
      }),
    });

    this.appCheck = new AppCheckInvoke(this, 'AppCheck', { reconcile: this.reconcile.function });
    this.receiver = new NodeFunction(this, 'Receiver', {
      entry: entries.receiver,
      description: 'Okta event hook receiver: authenticates, validates and enqueues (no Okta calls)',
      // No heavy imports; 256 MB doubles the CPU of 128 MB for a faster cold start inside Okta's 3 s window.
      memorySize: 256,
      timeout: TIMEOUTS.receiver,
      environment: receiverEnvironment({
        groupIds: policy.groupIds,
        appId,
        workQueueUrl: queueUrl,
        hookSecretArn: this.secrets.hookSecret.secretArn,
        hookAuthHeader: config.hookAuthHeader,
        maxBodyBytes: config.maxEventHookBodyBytes,
        appCheckFunctionName: this.appCheck.alias.functionName,
      }),
      logRetention,
    });
    this.secrets.hookSecret.grantRead(this.receiver.function);
    this.workQueue.queue.grantSendMessages(this.receiver.function);
    // application.lifecycle.* events for the Frontline app: an async invoke of the reconcile's app check.
    this.receiver.allowInvoke(this.appCheck.alias);

    this.api = new EventHookApi(this, 'EventHook', {
      receiver: this.receiver.function,
      throttle: config.apiThrottle,
      logRetention,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      receiver: this.receiver.function,
      worker: this.worker.function,
      reconcile: this.reconcile.function,
      api: this.api.api,
      workQueue: this.workQueue.queue,
      deadLetterQueue: this.workQueue.deadLetterQueue,
      scheduleDeadLetterQueue: this.scheduleDeadLetterQueue,
      reconcileRateMinutes: rateMinutes(config.reconcileRate),
      alarmEmail: config.alarmEmail,
      certificateExpiryWarningDays: config.certificateExpiryWarningDays,
      dashboardName: `${this.stackName}-flow`,
    });
    this.appCheck.notify(this.monitoring.topic);

    this.catchup = new Catchup(this, 'Catchup', {
      entry: entries.catchup,
      oktaOrgUrl: config.oktaOrgUrl,
      oktaCredentials: this.secrets.oktaCredentials,
      grantReadOktaCredentials: (grantee) => this.secrets.grantReadOktaCredentials(grantee),
      policy,
      appId,
      workQueue: this.workQueue.queue,
      appCheckFunction: this.appCheck.alias,
      records: this.records,
      alarmTopic: this.monitoring.topic,
      logRetention,
    });

    this.bootstrap?.registerEventHook({
      url: this.api.eventHookUrl,
      hookSecret: this.secrets.hookSecret,
      authHeader: config.hookAuthHeader,
      dependsOn: [this.api.stage, this.api.api, this.receiver.function],
    });

    this.addOutputs();
    applyNagSuppressions(this);
  }

  private addOutputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output(
      'EventHookUrl',
      this.api.eventHookUrl,
      'Okta event hook URL (npm run cli -- hook register --url …)',
    );
    output('HookSecretArn', this.secrets.hookSecret.secretArn, 'Event hook secret {"current","previous"?}');
    output(
      'OktaCredentialsSecretArn',
      this.secrets.oktaCredentials.secretArn,
      'Put {"apiToken"} or {"clientId","privateKey","keyId"} here after deploy',
    );
    output(
      'TwilioCredentialsSecretArn',
      this.secrets.twilioCredentials.secretArn,
      'Put {"accountSid","apiKeySid","apiKeySecret"} here to end leavers’ Frontline sessions',
    );
    output('WorkQueueArn', this.workQueue.queue.queueArn, 'FIFO work queue');
    output(
      'DeadLetterQueueArn',
      this.workQueue.deadLetterQueue.queueArn,
      'Parked work items (replay: runbook)',
    );
    output(
      'DeadLetterQueueUrl',
      this.workQueue.deadLetterQueue.queueUrl,
      'Parked work items, for inspection',
    );
    output(
      'ReconcileScheduleDeadLetterQueueUrl',
      this.scheduleDeadLetterQueue.queueUrl,
      'Reconcile invocations the scheduler could not deliver (runbook)',
    );
    output(
      'AppCheckFailureQueueUrl',
      this.appCheck.failureQueue.queueUrl,
      'Prompt app checks that failed after Lambda’s retries (runbook)',
    );
    output('ReceiverFunctionName', this.receiver.function.functionName, 'Event hook receiver Lambda');
    output('WorkerFunctionName', this.worker.function.functionName, 'Provisioning worker Lambda');
    output('ReconcileFunctionName', this.reconcile.function.functionName, 'Scheduled reconcile Lambda');
    output('CatchupFunctionName', this.catchup.handler.function.functionName, 'System Log catch-up Lambda');
    output('RecordsTableName', this.records.table.tableName, 'Records table (check --records-table <name>)');
    output('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');
    output('AlarmTopicArn', this.monitoring.topic.topicArn, 'Subscribe here for alarms');
    if (this.bootstrap) {
      output('FrontlineAppId', this.bootstrap.appId, 'The Frontline SAML app in Okta');
      output('IdpSsoUrl', this.bootstrap.ssoUrl, 'Frontline console: Identity provider SSO URL');
      output('IdpIssuer', this.bootstrap.issuer, 'Frontline console: Identity provider issuer');
      output('IdpCertificate', this.bootstrap.certificate, 'Frontline console: X.509 certificate (PEM)');
      output(
        'IdpCertificateSha256',
        this.bootstrap.certificateFingerprint,
        'Fingerprint of that certificate',
      );
    }
  }
}
