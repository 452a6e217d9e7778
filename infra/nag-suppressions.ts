import { type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import type { EventHookApi } from './constructs/event-hook-api';
import type { Monitoring } from './constructs/monitoring';
import type { NodeFunction } from './constructs/node-function';
import type { OktaBootstrap } from './constructs/okta-bootstrap';
import type { ProvisionerSecrets } from './constructs/secrets';
import type { WorkQueue } from './constructs/work-queue';

/**
 * The parts of the stack that carry acknowledged findings. FrontlineStack satisfies it; naming the parts here
 * (instead of importing FrontlineStack) keeps this module out of an import cycle with the stack.
 */
export interface NagSubject extends Pick<Stack, 'getLogicalId' | 'node'> {
  readonly secrets: ProvisionerSecrets;
  readonly receiver: NodeFunction;
  readonly worker: NodeFunction;
  readonly reconcile: NodeFunction;
  readonly api: EventHookApi;
  readonly workQueue: WorkQueue;
  readonly scheduleDeadLetterQueue: IQueue;
  readonly monitoring: Monitoring;
  readonly bootstrap: OktaBootstrap | undefined;
  /** The catch-up and the prompt app check name their own acknowledged findings. */
  readonly catchup: { readonly acknowledgements: readonly NagAcknowledgement[] };
  readonly appCheck: { readonly acknowledgements: readonly NagAcknowledgement[] };
}

/** One acknowledged cdk-nag finding: a single rule (or rule[finding]) on a construct and why it is acceptable. */
export interface NagAcknowledgement {
  readonly scope: IConstruct;
  readonly id: string;
  readonly reason: string;
}

const XRAY_REASON =
  'X-Ray trace submission (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions, so AWS requires Resource "*".';

/**
 * Every acknowledged finding in the stack, each naming one rule and its reason. cdk-nag 3 records these with
 * `Validations.of(scope).acknowledge`; any finding not listed here fails `cdk synth` and test/infra/nag.test.ts.
 */
export function nagAcknowledgements(stack: NagSubject): NagAcknowledgement[] {
  const list: NagAcknowledgement[] = [];
  const add = (scope: IConstruct, id: string, reason: string) => list.push({ scope, id, reason });

  add(
    stack.secrets.hookSecret,
    'AwsSolutions-SMG4',
    'Rotating the hook secret must update the Okta event hook in the same step while the previous value stays valid, so it is a documented manual procedure (docs/runbook.md).',
  );
  if (stack.secrets.createdOktaCredentials) {
    add(
      stack.secrets.createdOktaCredentials,
      'AwsSolutions-SMG4',
      'The Okta API token or service-app key is issued by Okta, not AWS; it is rotated in Okta and put here by ops (docs/runbook.md).',
    );
  }
  add(
    stack.secrets.twilioCredentials,
    'AwsSolutions-SMG4',
    'The Twilio API key is issued by Twilio, not AWS; it is rotated in the Twilio console and put here by ops (docs/deploy.md).',
  );

  for (const fn of [
    stack.receiver,
    stack.worker,
    stack.reconcile,
    ...(stack.bootstrap ? [stack.bootstrap.handler] : []),
  ]) {
    add(fn.role, 'AwsSolutions-IAM5[Resource::*]', XRAY_REASON);
  }

  add(
    stack.receiver.function,
    'Serverless-LambdaDLQ',
    'Invoked synchronously by API Gateway: a failure answers 5xx so Okta retries once, and the scheduled reconcile catches up anything lost.',
  );
  add(
    stack.worker.function,
    'Serverless-LambdaDLQ',
    'Invoked synchronously by the SQS event source: failed items go to the work queue’s own dead-letter queue after maxReceiveCount receives.',
  );
  add(
    stack.worker.function,
    'Serverless-LambdaEventSourceMappingDestination',
    'SQS event source mappings do not support on-failure destinations; the work queue’s redrive policy parks failed items in its dead-letter queue.',
  );
  const reconcileReason =
    'A failed run raises the ReconcileErrors alarm and the next scheduled run repeats the whole reconcile, so keeping the failed invocation has no replay value.';
  add(stack.reconcile.function, 'Serverless-LambdaDLQ', reconcileReason);
  add(stack.reconcile.function, 'Serverless-LambdaAsyncFailureDestination', reconcileReason);

  // The LambdaInvoke target puts its role at stack level, named after the target function.
  const reconcileLogicalId = stack.getLogicalId(stack.reconcile.function.node.defaultChild as CfnElement);
  const schedulerRoles = stack.node.children.filter((c) => c.node.id.startsWith('SchedulerRoleForTarget-'));
  for (const role of schedulerRoles) {
    add(
      role,
      `AwsSolutions-IAM5[Resource::<${reconcileLogicalId}.Arn>:*]`,
      'The scheduler role may invoke only the reconcile function; the ":*" suffix, added by the LambdaInvoke target, covers that function’s versions and aliases.',
    );
  }

  for (const route of stack.api.routes) {
    add(
      route,
      'AwsSolutions-APIG4',
      'Okta event hooks can only send a static secret header; the receiver checks it in constant time (current and previous values) and an authorizer would add latency inside Okta’s 3-second window.',
    );
  }

  add(
    stack.workQueue.deadLetterQueue,
    'Serverless-SQSRedrivePolicy',
    'This is the work queue’s dead-letter queue; its items wait for an operator to inspect and replay them (docs/runbook.md).',
  );

  const scheduleDlqReason =
    'This is the reconcile schedule’s dead-letter queue; what lands here raises the ReconcileScheduleDeadLetters alarm and waits for an operator (docs/runbook.md).';
  add(stack.scheduleDeadLetterQueue, 'AwsSolutions-SQS3', scheduleDlqReason);
  add(stack.scheduleDeadLetterQueue, 'Serverless-SQSRedrivePolicy', scheduleDlqReason);

  if (stack.monitoring.emailSubscription) {
    add(
      stack.monitoring.emailSubscription,
      'Serverless-SNSRedrivePolicy',
      'An undeliverable alarm email has nothing worth replaying: the alarm itself stays visible in CloudWatch and on the dashboard.',
    );
  }

  if (stack.bootstrap) {
    const bootstrapReason =
      'CloudFormation invokes it once per resource change and waits for its answer; a lost invocation fails the deploy after the service timeout, with nothing to replay.';
    add(stack.bootstrap.handler.function, 'Serverless-LambdaDLQ', bootstrapReason);
    add(stack.bootstrap.handler.function, 'Serverless-LambdaAsyncFailureDestination', bootstrapReason);
  }
  list.push(...stack.catchup.acknowledgements, ...stack.appCheck.acknowledgements);
  return list;
}

export function applyNagSuppressions(stack: NagSubject): void {
  for (const { scope, id, reason } of nagAcknowledgements(stack))
    Validations.of(scope).acknowledge({ id, reason });
}
