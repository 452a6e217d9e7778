import { APP_CHECK_ALARM_IDS } from '../../infra/constructs/app-check-invoke';
import { CATCHUP_ALARM_IDS } from '../../infra/constructs/catchup';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ENV, FORBIDDEN_SECRET_ENV_NAMES } from '../../infra/lambda-env';
import { ALARM_IDS } from '../../infra/constructs/monitoring';
import { LAMBDA_RUNTIME } from '../../infra/constructs/node-function';
import { EVENT_HOOK_PATH } from '../../infra/constructs/event-hook-api';
import { TIMEOUTS, VISIBILITY_TIMEOUT_FACTOR } from '../../infra/frontline-stack';
import type { FrontlineStack } from '../../infra/frontline-stack';
import { configWith, logicalIdOf, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';
import { DEFAULT_MAX_RECEIVE_COUNT } from '../../src/worker/outage-hold';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('Stack: FrontlineStack from the example config', () => {
  let stack: FrontlineStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesize(configWith()));
  }, SYNTH_TIMEOUT_MS);

  const fnProps = (construct: { function: { node: { defaultChild?: unknown } } }) => {
    const id = logicalIdOf(stack, construct.function);
    return resourcesOf(template, 'AWS::Lambda::Function')[id]?.Properties as Record<string, unknown>;
  };
  const queueProps = (which: 'queue' | 'deadLetterQueue') =>
    resourcesOf(template, 'AWS::SQS::Queue')[logicalIdOf(stack, stack.workQueue[which])]
      ?.Properties as Record<string, unknown>;

  describe('work queue', () => {
    it('is FIFO with a FIFO dead-letter queue, both encrypted', () => {
      expect(queueProps('queue')).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
      expect(queueProps('deadLetterQueue')).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
    });

    it('redrives to the dead-letter queue after maxReceiveCount receives', () => {
      expect(queueProps('queue').RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.workQueue.deadLetterQueue), 'Arn'] },
        maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
      });
    });

    it('denies every request that is not over TLS, on every queue', () => {
      const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
      // The work queue, its dead-letter queue, the two schedules' dead-letter queues and the app check's failures.
      expect(policies).toHaveLength(5);
      for (const policy of policies) {
        const statements = (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] })
          .Statement;
        expect(statements).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it('keeps a work item invisible for at least 6× the worker timeout', () => {
      const workerTimeout = fnProps(stack.worker).Timeout as number;
      expect(workerTimeout).toBe(TIMEOUTS.worker.toSeconds());
      expect(queueProps('queue').VisibilityTimeout).toBeGreaterThanOrEqual(
        workerTimeout * VISIBILITY_TIMEOUT_FACTOR,
      );
      expect(VISIBILITY_TIMEOUT_FACTOR).toBeGreaterThanOrEqual(6);
    });
  });

  describe('worker event source', () => {
    it('reports batch item failures and caps concurrency for Okta', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalIdOf(stack, stack.worker.function) },
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.workQueue.queue), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });
  });

  describe('functions', () => {
    it('run on arm64 with the newest Node.js runtime (22 or later), with tracing and explicit sizes', () => {
      const functions = [stack.receiver, stack.worker, stack.reconcile].map(fnProps);
      for (const props of functions) {
        expect(props).toMatchObject({
          Runtime: LAMBDA_RUNTIME.name,
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
        });
        expect(Number(/^nodejs(\d+)/.exec(String(props.Runtime))?.[1])).toBeGreaterThanOrEqual(22);
        expect(props.MemorySize).toEqual(expect.any(Number));
        expect(props.Timeout).toEqual(expect.any(Number));
      }
    });

    it('lets the receiver answer inside Okta’s 3-second window but no longer than the API allows', () => {
      const timeout = fnProps(stack.receiver).Timeout as number;
      expect(timeout).toBeGreaterThanOrEqual(3);
      expect(timeout).toBeLessThanOrEqual(29);
    });

    it('write logs to their own log group with a retention', () => {
      for (const fn of [stack.receiver, stack.worker, stack.reconcile]) {
        expect(fnProps(fn).LoggingConfig).toEqual({ LogGroup: { Ref: logicalIdOf(stack, fn.logGroup) } });
      }
      for (const group of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
        expect(group.Properties?.RetentionInDays).toBe(90);
      }
    });

    it('get the settings the handlers read, under the names in infra/lambda-env.ts', () => {
      expect(fnProps(stack.receiver).Environment).toEqual({
        Variables: expect.objectContaining({
          [ENV.groupId]: '00g1a2b3c4d5e6f7g8h9',
          [ENV.appId]: '0oa1a2b3c4d5e6f7g8h9',
          [ENV.workQueueUrl]: { Ref: logicalIdOf(stack, stack.workQueue.queue) },
          [ENV.hookSecretArn]: { Ref: logicalIdOf(stack, stack.secrets.hookSecret) },
          [ENV.hookAuthHeader]: 'Authorization',
          [ENV.maxBodyBytes]: '1048576',
          // The reconcile's app-check alias (retried, then parked: infra/constructs/app-check-invoke.ts).
          [ENV.appCheckFunctionName]: expect.objectContaining({ 'Fn::Join': expect.anything() }),
        }),
      });
      expect(fnProps(stack.worker).Environment).toEqual({
        Variables: expect.objectContaining({
          [ENV.oktaOrgUrl]: 'https://example.okta.com',
          [ENV.oktaCredentialsSecretArn]: { Ref: logicalIdOf(stack, stack.secrets.oktaCredentials) },
          [ENV.usernameTemplate]: '${source.email}',
          [ENV.clearUserTypeOnRemoval]: 'false',
        }),
      });
      expect(fnProps(stack.reconcile).Environment).toEqual({
        Variables: expect.objectContaining({
          [ENV.realmSid]: 'JB0123456789abcdef0123456789abcdef',
          [ENV.appCheckMode]: 'report',
          [ENV.workQueueUrl]: { Ref: logicalIdOf(stack, stack.workQueue.queue) },
        }),
      });
    });
  });

  describe('secrets', () => {
    it('never put a secret value in an environment variable: only ARNs (Refs to the secrets)', () => {
      const secretIds = new Set(Object.keys(resourcesOf(template, 'AWS::SecretsManager::Secret')));
      for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
        const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables;
        for (const [name, value] of Object.entries(variables ?? {})) {
          expect(FORBIDDEN_SECRET_ENV_NAMES).not.toContain(name);
          const text = JSON.stringify(value);
          // A resolved secret would show up as a dynamic reference or a GetAtt/Join on the secret.
          expect(text).not.toMatch(/resolve:secretsmanager|SecretString/);
          const refersToSecret = [...secretIds].some((id) => text.includes(`"${id}"`));
          if (refersToSecret) expect(name).toMatch(/_ARN$/);
        }
      }
    });

    it('generate the hook secret as {"current": <random>} for the receiver to read', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({
          SecretStringTemplate: '{}',
          GenerateStringKey: 'current',
          ExcludePunctuation: true,
        }),
      });
    });
  });

  describe('IAM', () => {
    const statements = (): Statement[] =>
      Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
        (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
      );
    const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

    it('grants no wildcard actions anywhere', () => {
      for (const s of statements()) {
        for (const action of actionsOf(s)) expect(action).not.toMatch(/^\*$|:\*$/);
      }
    });

    it('scopes every data action (SQS, Secrets Manager, Logs, Lambda) to named resources, never "*"', () => {
      for (const s of statements()) {
        const data = actionsOf(s).filter((a) => /^(sqs|secretsmanager|logs|lambda|kms|ssm):/.test(a));
        if (data.length > 0) expect(JSON.stringify(s.Resource)).not.toMatch(/^"\*"$|\["\*"\]/);
      }
    });

    it('leaves "*" resources only to X-Ray, which has no resource-level permissions', () => {
      for (const s of statements().filter((st) => JSON.stringify(st.Resource) === '"*"')) {
        for (const action of actionsOf(s)) expect(action).toMatch(/^xray:/);
      }
    });

    it('gives each function only its own secret and queue rights', () => {
      const policyFor = (fn: {
        role: { node: { findChild(id: string): { node: { defaultChild?: unknown } } } };
      }) => {
        const policies = resourcesOf(template, 'AWS::IAM::Policy');
        const id = logicalIdOf(stack, fn.role.node.findChild('DefaultPolicy'));
        return JSON.stringify(policies[id]?.Properties?.PolicyDocument);
      };
      const hookSecret = logicalIdOf(stack, stack.secrets.hookSecret);
      const credentials = logicalIdOf(stack, stack.secrets.oktaCredentials);
      expect(policyFor(stack.receiver)).toContain(hookSecret);
      expect(policyFor(stack.receiver)).not.toContain(credentials);
      expect(policyFor(stack.receiver)).toContain('sqs:SendMessage');
      expect(policyFor(stack.receiver)).not.toContain('sqs:ReceiveMessage');
      // The prompt app check: invoke the reconcile's app-check alias only, not the function or its versions.
      expect(policyFor(stack.receiver)).toContain(
        JSON.stringify({
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: { Ref: logicalIdOf(stack, stack.appCheck.alias) },
        }),
      );
      expect(policyFor(stack.worker)).not.toContain('lambda:InvokeFunction');
      expect(policyFor(stack.worker)).toContain(credentials);
      expect(policyFor(stack.worker)).not.toContain(hookSecret);
      expect(policyFor(stack.worker)).toContain('sqs:ChangeMessageVisibility');
      expect(policyFor(stack.worker)).not.toContain('sqs:SendMessage');
      expect(policyFor(stack.reconcile)).toContain(credentials);
      expect(policyFor(stack.reconcile)).not.toContain(hookSecret);
      expect(policyFor(stack.reconcile)).toContain('sqs:SendMessage');
      expect(JSON.stringify(template.toJSON())).not.toContain('cloudwatch:PutMetricData');
    });

    it('uses no AWS managed policies for the functions', () => {
      for (const fn of [stack.receiver, stack.worker, stack.reconcile]) {
        const role = resourcesOf(template, 'AWS::IAM::Role')[logicalIdOf(stack, fn.role)];
        expect(role?.Properties?.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('event hook API', () => {
    it('routes GET and POST /okta/event-hook, and nothing else, to the receiver', () => {
      const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map(
        (r) => r.Properties?.RouteKey,
      );
      expect(routes.sort()).toEqual([`GET ${EVENT_HOOK_PATH}`, `POST ${EVENT_HOOK_PATH}`]);
    });

    it('throttles the stage and writes JSON access logs without headers', () => {
      const stage = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'))[0]?.Properties ?? {};
      expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
      const logs = stage.AccessLogSettings as { Format: string; DestinationArn: unknown };
      expect(logs.DestinationArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack, stack.api.accessLogs), 'Arn'],
      });
      const format = JSON.parse(logs.Format) as Record<string, string>;
      expect(format.requestId).toBe('$context.requestId');
      expect(logs.Format).not.toMatch(/header|authorization/i);
    });
  });

  describe('reconcile schedule', () => {
    it('invokes the reconcile function hourly by default', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.reconcile.function), 'Arn'] },
        }),
      });
    });
  });

  describe('alarms', () => {
    it('creates every documented alarm and wires each to the alarm topic, on alarm and on recovery', () => {
      const topicRef = { Ref: logicalIdOf(stack, stack.monitoring.topic) };
      const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
      expect(Object.keys(alarms)).toHaveLength(
        ALARM_IDS.length + CATCHUP_ALARM_IDS.length + APP_CHECK_ALARM_IDS.length,
      );
      for (const alarm of Object.values(alarms)) {
        expect(alarm.Properties?.AlarmActions).toEqual([topicRef]);
        expect(alarm.Properties?.OKActions).toEqual([topicRef]);
      }
    });

    it('alarms as soon as one item is parked in the dead-letter queue', () => {
      const dlq = stack.workQueue.deadLetterQueue;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack, dlq), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('has no email subscription unless configured', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('puts a dashboard beside them', () => {
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  describe('environment-agnostic synth', () => {
    it('has no account or region baked in and no bootstrap resources when bootstrap is off', () => {
      expect(stack.account).toMatch(/^\$\{Token/);
      expect(stack.region).toMatch(/^\$\{Token/);
      expect(
        Object.keys(template.toJSON().Resources as object).filter((k) => k.includes('OktaBootstrap')),
      ).toEqual([]);
    });

    it('outputs the event hook URL, the secret ARNs and what the runbook uses', () => {
      template.hasOutput('EventHookUrl', {
        Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(`${EVENT_HOOK_PATH}$`)])] },
      });
      template.hasOutput('HookSecretArn', {});
      template.hasOutput('OktaCredentialsSecretArn', {});
      // The runbook's commands read these.
      for (const name of [
        'WorkQueueArn',
        'DeadLetterQueueArn',
        'DeadLetterQueueUrl',
        'ReconcileScheduleDeadLetterQueueUrl',
        'AlarmTopicArn',
        'ReceiverFunctionName',
        'WorkerFunctionName',
        'ReconcileFunctionName',
        'DashboardName',
      ]) {
        template.hasOutput(name, {});
      }
    });

    it('tags resources with the configured tags', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        Tags: Match.arrayWith([{ Key: 'owner', Value: 'it-identity' }]),
      });
    });
  });
});
