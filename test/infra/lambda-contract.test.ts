import { DEFAULT_MAX_EVENTS_PER_DELIVERY } from '../../src/receiver/receiver';
import { loadReconcileLambdaConfig } from '../../src/reconcile/lambda-config';
import { loadReceiverConfig } from '../../src/receiver/config';
import { loadWorkerLambdaConfig } from '../../src/worker/lambda-config';
import { loadCatchupLambdaConfig } from '../../src/catchup/lambda-config';
import {
  catchupEnvironment,
  ENV,
  receiverEnvironment,
  reconcileEnvironment,
  workerEnvironment,
} from '../../infra/lambda-env';
import { METRICS_NAMESPACE, RECONCILE_METRICS, CATCHUP_METRICS, SERVICE_NAMES } from '../../src/telemetry';
import { resolvePolicy } from '../../src/domain/policy';
import { configWith, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/Work.fifo';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf';
const GROUP_ID = '00g1a2b3c4d5e6f7g8h9';

describe('Contract: the environment the stack sets is what each handler reads', () => {
  it('gives the receiver a configuration its loader accepts, value for value', () => {
    const env = receiverEnvironment({
      groupIds: [GROUP_ID],
      appId: '0oa1a2b3c4d5e6f7g8h9',
      workQueueUrl: QUEUE_URL,
      hookSecretArn: SECRET_ARN,
      hookAuthHeader: 'X-Okta-Secret',
      maxBodyBytes: 2048,
      appCheckFunctionName: 'FrontlineOktaProvisioner-ReconcileFunction-AbC123',
    });
    expect(loadReceiverConfig(env)).toEqual({
      groupIds: [GROUP_ID],
      appId: '0oa1a2b3c4d5e6f7g8h9',
      queueUrl: QUEUE_URL,
      hookSecretArn: SECRET_ARN,
      headerName: 'X-Okta-Secret',
      maxBodyBytes: 2048,
      // Not set by the stack: the receiver's own default applies.
      maxEventsPerDelivery: DEFAULT_MAX_EVENTS_PER_DELIVERY,
      appCheckFunctionName: 'FrontlineOktaProvisioner-ReconcileFunction-AbC123',
    });
  });

  it('gives the catch-up a configuration its loader accepts, value for value', () => {
    const env = catchupEnvironment({
      oktaOrgUrl: 'https://acme.okta.com',
      oktaCredentialsSecretArn: SECRET_ARN,
      policy: resolvePolicy({ groupIds: [GROUP_ID], pinnedUserNameTemplate: '${source.login}' }),
      appId: '0oa1a2b3c4d5e6f7g8h9',
      workQueueUrl: QUEUE_URL,
      recordsTableName: 'FrontlineOktaProvisioner-RecordsTable-AbC123',
      lookbackSeconds: 1200,
      appCheckFunctionName: 'FrontlineOktaProvisioner-ReconcileFunction-AbC123',
    });
    expect(loadCatchupLambdaConfig(env, 'Frontline provisioner')).toEqual({
      orgUrl: 'https://acme.okta.com',
      credentialsSecretArn: SECRET_ARN,
      appId: '0oa1a2b3c4d5e6f7g8h9',
      groupIds: [GROUP_ID],
      workQueueUrl: QUEUE_URL,
      recordsTableName: 'FrontlineOktaProvisioner-RecordsTable-AbC123',
      lookbackSeconds: 1200,
      hookName: 'Frontline provisioner',
      appCheckFunctionName: 'FrontlineOktaProvisioner-ReconcileFunction-AbC123',
    });
  });

  it('gives the worker a configuration its loader accepts, value for value', () => {
    const policy = resolvePolicy({
      groupIds: [GROUP_ID],
      pinnedUserNameTemplate: '${source.login}',
      clearUserTypeOnRemoval: true,
      pruneUnmanaged: true,
      suspendedPolicy: 'remove',
      assignmentMode: 'group',
    });
    const env = workerEnvironment({
      oktaOrgUrl: 'https://acme.okta.com',
      oktaCredentialsSecretArn: SECRET_ARN,
      policy,
      appId: '0oa1a2b3c4d5e6f7g8h9',
      recordsTableName: 'FrontlineOktaProvisioner-RecordsTable-AbC123',
      maxReceiveCount: 35,
    });
    expect(loadWorkerLambdaConfig(env)).toEqual({
      orgUrl: 'https://acme.okta.com',
      credentialsSecretArn: SECRET_ARN,
      appId: '0oa1a2b3c4d5e6f7g8h9',
      recordsTableName: 'FrontlineOktaProvisioner-RecordsTable-AbC123',
      maxReceiveCount: 35,
      policy: {
        groupIds: [GROUP_ID],
        pinnedUserNameTemplate: '${source.login}',
        clearUserTypeOnRemoval: true,
        pruneUnmanaged: true,
        suspendedPolicy: 'remove',
        assignmentMode: 'group',
        maxRemovalShare: 0.1,
        minRemovalAllowance: 5,
        maxGrantShare: 0.1,
        minGrantAllowance: 5,
      },
    });
  });

  it('gives the reconcile a configuration its loader accepts, value for value', () => {
    const env = reconcileEnvironment({
      oktaOrgUrl: 'https://acme.okta.com',
      oktaCredentialsSecretArn: SECRET_ARN,
      policy: resolvePolicy({
        groupIds: [GROUP_ID],
        pinnedUserNameTemplate: '${source.email}',
        maxRemovalShare: 0.25,
        pruneUnmanaged: true,
        suspendedPolicy: 'remove',
        assignmentMode: 'group',
      }),
      appId: '0oa1a2b3c4d5e6f7g8h9',
      workQueueUrl: QUEUE_URL,
      realmSid: 'JB0123456789abcdef0123456789abcdef',
      appCheckMode: 'repair',
      appLabel: 'Frontline (prod)',
      confirmedCertificateSha256: 'AB:'.repeat(31) + 'CD',
      recordsTableName: 'FrontlineOktaProvisioner-RecordsTable-AbC123',
    });
    expect(loadReconcileLambdaConfig(env)).toMatchObject({
      recordsTableName: 'FrontlineOktaProvisioner-RecordsTable-AbC123',
      orgUrl: 'https://acme.okta.com',
      credentialsSecretArn: SECRET_ARN,
      appId: '0oa1a2b3c4d5e6f7g8h9',
      policy: {
        groupIds: [GROUP_ID],
        pinnedUserNameTemplate: '${source.email}',
        maxRemovalShare: 0.25,
        pruneUnmanaged: true,
        suspendedPolicy: 'remove',
        assignmentMode: 'group',
      },
      workQueueUrl: QUEUE_URL,
      mode: 'repair',
      confirmedFingerprint: 'AB:'.repeat(31) + 'CD',
      rules: expect.objectContaining({
        label: 'Frontline (prod)',
        realmSid: 'JB0123456789abcdef0123456789abcdef',
      }),
    });
  });

  it('never hands a handler a secret value, only secret ARNs', () => {
    const names = Object.values(ENV).filter((n) => /SECRET|TOKEN|KEY/.test(n));
    expect(names.every((n) => n.endsWith('_ARN'))).toBe(true);
  });
});

describe('Contract: the alarms watch metrics the reconcile and the catch-up publish', () => {
  it(
    'watches only custom metrics named in src/telemetry.ts, under the publishing function’s service dimension',
    () => {
      const { template } = synthesize(configWith());
      const custom = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'))
        .map((a) => a.Properties as { Namespace?: string; MetricName?: string; Dimensions?: unknown })
        .filter((p) => p.Namespace === METRICS_NAMESPACE);
      expect(custom.length).toBeGreaterThanOrEqual(6);
      const publisher = new Map<string, string>([
        ...Object.values(RECONCILE_METRICS).map((n): [string, string] => [n, SERVICE_NAMES.reconcile]),
        ...Object.values(CATCHUP_METRICS).map((n): [string, string] => [n, SERVICE_NAMES.catchup]),
      ]);
      for (const alarm of custom) {
        expect(publisher.has(alarm.MetricName ?? '')).toBe(true);
        expect(alarm.Dimensions).toEqual([{ Name: 'service', Value: publisher.get(alarm.MetricName ?? '') }]);
      }
    },
    SYNTH_TIMEOUT_MS,
  );
});
