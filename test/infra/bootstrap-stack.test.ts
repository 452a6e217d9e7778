import { Match, type Template } from 'aws-cdk-lib/assertions';
import { BOOTSTRAP_RESOURCE_TYPES, BOOTSTRAP_TIMEOUTS } from '../../src/bootstrap/resource-types';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import type { FrontlineStack } from '../../infra/frontline-stack';
import { ENV } from '../../infra/lambda-env';
import { configWith, logicalIdOf, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';

const EXISTING_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-credentials-AbCdEf';

/** One stack with every non-default choice, bootstrap included, so one synth covers them all. */
describe('Stack: FrontlineStack with bootstrap on and non-default settings', () => {
  let stack: FrontlineStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesize(
      configWith({
        bootstrap: true,
        appId: undefined,
        maxReceiveCount: 9,
        reconcileRate: '30 minutes',
        workerMaxConcurrency: 4,
        alarmEmail: 'ops@example.com',
        clearUserTypeOnRemoval: true,
        appCheckMode: 'repair',
        logRetentionDays: 30,
        hookAuthHeader: 'X-Okta-Hook-Secret',
        existingOktaCredentialsSecretArn: EXISTING_SECRET,
        assignmentMode: 'group',
      }),
    ));
  }, SYNTH_TIMEOUT_MS);

  const customResources = (type: string) =>
    Object.entries(
      template.toJSON().Resources as Record<
        string,
        { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }
      >,
    ).filter(([, r]) => r.Type === type) as [
      string,
      {
        Type: string;
        Properties: Record<string, unknown>;
        DependsOn?: string[];
        DeletionPolicy?: string;
        UpdateReplacePolicy?: string;
      },
    ][];
  const envOf = (fn: { function: { node: { defaultChild?: unknown } } }) =>
    (
      resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(stack, fn.function)]?.Properties
        ?.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

  it('retains the event hook on removal and replacement, so no deploy deactivates a live hook', () => {
    const [, hook] = customResources(BOOTSTRAP_RESOURCE_TYPES.eventHook)[0]!;
    expect(hook.DeletionPolicy).toBe('Retain');
    expect(hook.UpdateReplacePolicy).toBe('Retain');
  });

  it('serves both resources from the bootstrap handler directly, with a service timeout past its own', () => {
    const handlerId = logicalIdOf(stack, stack.bootstrap!.handler.function);
    for (const type of Object.values(BOOTSTRAP_RESOURCE_TYPES)) {
      const [, resource] = customResources(type)[0]!;
      expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [handlerId, 'Arn'] });
      expect(Number(resource.Properties.ServiceTimeout)).toBe(BOOTSTRAP_TIMEOUTS.handlerSeconds + 60);
    }
  });

  it('subscribes the hook to the receiver’s event types as a property, so a changed list updates it', () => {
    const [, hook] = customResources(BOOTSTRAP_RESOURCE_TYPES.eventHook)[0]!;
    expect(hook.Properties.EventTypes).toEqual([...SUBSCRIBED_EVENT_TYPES]);
  });

  it('gives the bootstrap handler longer than its own Okta request timeout', () => {
    const props = resourcesOf(template, 'AWS::Lambda::Function')[
      logicalIdOf(stack, stack.bootstrap!.handler.function)
    ]?.Properties;
    expect(props?.Timeout).toBe(BOOTSTRAP_TIMEOUTS.handlerSeconds);
    expect(BOOTSTRAP_TIMEOUTS.handlerSeconds * 1000).toBeGreaterThan(
      BOOTSTRAP_TIMEOUTS.oktaRequestMs + 60_000,
    );
  });

  it('ensures the SAML app from the Realm SID, label and username template', () => {
    const apps = customResources(BOOTSTRAP_RESOURCE_TYPES.app);
    expect(apps).toHaveLength(1);
    expect(apps[0]?.[1].Properties).toMatchObject({
      RealmSid: 'JB0123456789abcdef0123456789abcdef',
      AppLabel: 'Twilio Frontline',
      UsernameTemplate: '${source.email}',
      // Group mode: the bootstrap assigns the group to the app, as setup does.
      AssignmentMode: 'group',
      GroupId: configWith().groupId,
    });
    expect(apps[0]?.[1].Properties).not.toHaveProperty('AppId');
  });

  it('keeps the one-group GroupId property for a single group, with no GroupIds list', () => {
    const [, app] = customResources(BOOTSTRAP_RESOURCE_TYPES.app)[0]!;
    // A stack deployed before several groups were possible sees its resource's properties unchanged.
    expect(app.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [logicalIdOf(stack, stack.bootstrap!.handler.function), 'Arn'] },
      ServiceTimeout: String(BOOTSTRAP_TIMEOUTS.handlerSeconds + 60),
      RealmSid: 'JB0123456789abcdef0123456789abcdef',
      AppLabel: 'Twilio Frontline',
      UsernameTemplate: '${source.email}',
      AssignmentMode: 'group',
      GroupId: configWith().groupId,
    });
  });

  it('feeds the bootstrapped app id to every Lambda', () => {
    const appLogicalId = logicalIdOf(stack, stack.bootstrap!.app);
    for (const fn of [stack.receiver, stack.worker, stack.reconcile]) {
      expect(envOf(fn)[ENV.appId]).toEqual({ 'Fn::GetAtt': [appLogicalId, 'AppId'] });
    }
    expect(envOf(stack.reconcile)[ENV.confirmedCertificateSha256]).toEqual({
      'Fn::GetAtt': [appLogicalId, 'CertificateSha256'],
    });
  });

  it('registers the event hook at the API URL only after the API stage and receiver exist', () => {
    const hooks = customResources(BOOTSTRAP_RESOURCE_TYPES.eventHook);
    expect(hooks).toHaveLength(1);
    const [, hook] = hooks[0]!;
    expect(hook.Properties).toMatchObject({
      HookSecretArn: { Ref: logicalIdOf(stack, stack.secrets.hookSecret) },
      AuthHeader: 'X-Okta-Hook-Secret',
      Url: {
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [logicalIdOf(stack, stack.api.api), 'ApiEndpoint'] }, '/okta/event-hook'],
        ],
      },
    });
    expect(hook.DependsOn).toEqual(
      expect.arrayContaining([
        logicalIdOf(stack, stack.api.stage),
        logicalIdOf(stack, stack.receiver.function),
      ]),
    );
    // The secret's value never travels as a property.
    expect(JSON.stringify(hook.Properties)).not.toMatch(/SecretString|resolve:secretsmanager/);
  });

  it('uses the existing credentials secret instead of creating one', () => {
    // The hook secret and the Twilio credentials secret: no Okta credentials secret is created.
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const fn of [stack.worker, stack.reconcile, stack.bootstrap!.handler]) {
      expect(envOf(fn)[ENV.oktaCredentialsSecretArn]).toBe(EXISTING_SECRET);
    }
  });

  it('lets the bootstrap handler read both secrets and nothing else', () => {
    const policy = JSON.stringify(
      resourcesOf(template, 'AWS::IAM::Policy')[
        logicalIdOf(stack, stack.bootstrap!.handler.role.node.findChild('DefaultPolicy'))
      ]?.Properties?.PolicyDocument,
    );
    expect(policy).toContain(logicalIdOf(stack, stack.secrets.hookSecret));
    expect(policy).toContain(EXISTING_SECRET);
    expect(policy).not.toMatch(/sqs:/);
  });

  it('outputs what Frontline’s console needs', () => {
    for (const [output, attribute] of [
      ['FrontlineAppId', 'AppId'],
      ['IdpSsoUrl', 'SsoUrl'],
      ['IdpIssuer', 'Issuer'],
      ['IdpCertificate', 'CertificatePem'],
      ['IdpCertificateSha256', 'CertificateSha256'],
    ] as const) {
      template.hasOutput(output, {
        Value: { 'Fn::GetAtt': [logicalIdOf(stack, stack.bootstrap!.app), attribute] },
      });
    }
  });

  it('applies the configured queue, schedule, concurrency, retention and email settings', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 9 }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)' });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    for (const group of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties?.RetentionInDays).toBe(30);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    expect(envOf(stack.worker)[ENV.clearUserTypeOnRemoval]).toBe('true');
    expect(envOf(stack.reconcile)[ENV.appCheckMode]).toBe('repair');
    expect(envOf(stack.receiver)[ENV.hookAuthHeader]).toBe('X-Okta-Hook-Secret');
  });
});
