import { DeploymentConfigSchema } from '../../infra/config';
import { reconcileEnvironment } from '../../infra/lambda-env';
import { resolvePolicy } from '../../src/domain/policy';
import { DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS } from '../../src/domain/signing-certificate';
import { loadReconcileLambdaConfig } from '../../src/reconcile/lambda-config';
import { configWith, logicalIdOf, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';

/*
 * One warning window for the CertificateExpiring alarm and the scheduled run: the deployment's
 * `certificateExpiryWarningDays` is the alarm's threshold and the reconcile function's
 * CERTIFICATE_EXPIRY_WARNING_DAYS, and its default is the CLI's.
 */

describe('Stack: the certificate warning window', () => {
  it('defaults to the one default the CLI and the functions use', () => {
    expect(configWith({ certificateExpiryWarningDays: undefined }).certificateExpiryWarningDays).toBe(
      DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS,
    );
    expect(DeploymentConfigSchema.shape.certificateExpiryWarningDays.description).toContain(
      'CERTIFICATE_EXPIRY_WARNING_DAYS',
    );
  });

  it(
    'gives the alarm and the reconcile function the same number of days',
    () => {
      const { stack, template } = synthesize(configWith({ certificateExpiryWarningDays: 45 }));

      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'CertificateDaysToExpiry',
        Threshold: 45,
        ComparisonOperator: 'LessThanThreshold',
      });
      const reconcile = resourcesOf(template, 'AWS::Lambda::Function')[
        logicalIdOf(stack, stack.reconcile.function)
      ];
      const variables = (reconcile?.Properties?.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(variables.CERTIFICATE_EXPIRY_WARNING_DAYS).toBe('45');
    },
    SYNTH_TIMEOUT_MS,
  );

  it('passes the window in a form the reconcile function reads back', () => {
    const env = reconcileEnvironment({
      oktaOrgUrl: 'https://acme.okta.com',
      oktaCredentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-creds-AbCdEf',
      policy: resolvePolicy({ groupIds: ['00g1a2b3c4d5e6f7g8h9'] }),
      appId: '0oa1a2b3c4d5e6f7g8h9',
      workQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work.fifo',
      realmSid: 'JB0123456789abcdef0123456789abcdef',
      appCheckMode: 'report',
      appLabel: 'Frontline',
      confirmedCertificateSha256: undefined,
      certificateExpiryWarningDays: 60,
    });
    expect(loadReconcileLambdaConfig(env).certificateExpiryWarningDays).toBe(60);
  });
});
