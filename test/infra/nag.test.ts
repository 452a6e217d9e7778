import type { App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { createApp } from '../../infra/app';
import type { FrontlineStack } from '../../infra/frontline-stack';
import { nagAcknowledgements } from '../../infra/nag-suppressions';
import { configWith, SYNTH_TIMEOUT_MS } from './helpers';

/** `rule (severity) at path: description` for every finding no acknowledgement covers. */
function unacknowledgedFindings(stack: FrontlineStack): string[] {
  return [new AwsSolutionsChecks(undefined), new ServerlessChecks(undefined)].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map(
          (r) => `${v.ruleName} (${v.severity}) at ${r.constructPath}: ${v.description}`,
        ),
      ),
  );
}

const CONFIGS = {
  'the example config': {},
  'bootstrap on, with an alarm email and an existing credentials secret': {
    bootstrap: true,
    appId: undefined,
    alarmEmail: 'ops@example.com',
    existingOktaCredentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-AbCdEf',
  },
};

describe.each(Object.entries(CONFIGS))(
  'cdk-nag: AwsSolutions and Serverless packs, %s',
  (_name, overrides) => {
    let app: App;
    let stack: FrontlineStack;

    beforeAll(() => {
      ({ app, stack } = createApp(configWith(overrides), {
        appProps: { context: { 'aws:cdk:bundling-stacks': [] } },
      }));
    }, SYNTH_TIMEOUT_MS);

    it('leaves no finding unacknowledged', () => {
      expect(unacknowledgedFindings(stack)).toEqual([]);
    });

    it(
      'runs both packs on synth, and synth passes',
      () => {
        expect(() => app.synth()).not.toThrow();
      },
      SYNTH_TIMEOUT_MS,
    );

    it('acknowledges each finding by one rule, with a one-sentence reason', () => {
      const acknowledgements = nagAcknowledgements(stack);
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const { id, reason } of acknowledgements) {
        expect(id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[[^\]]+\])?$/);
        expect(reason).toMatch(/^[A-Z"].{20,}[.)]$/);
        // One sentence: no full stop followed by a new capitalised sentence.
        expect(reason).not.toMatch(/\.\s+[A-Z]/);
      }
    });
  },
);

describe('cdk-nag: the check itself', () => {
  it('reports a finding that is not acknowledged', () => {
    const { stack } = createApp(configWith(), { appProps: { context: { 'aws:cdk:bundling-stacks': [] } } });
    // Prepare: a queue without TLS enforcement, dead-letter queue or redrive policy.
    new Queue(stack, 'Unprotected');
    const findings = unacknowledgedFindings(stack);
    expect(findings).toContainEqual(
      expect.stringMatching(/^AwsSolutions-SQS4 \(error\) at .*\/Unprotected\//),
    );
    expect(findings).toContainEqual(expect.stringMatching(/^Serverless-SQSRedrivePolicy /));
  });
});
