import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { DeploymentConfig } from './config';
import { FrontlineStack, type LambdaEntries } from './frontline-stack';

export interface CreateAppOptions {
  readonly appProps?: AppProps;
  /** @default the files in lambdas/ */
  readonly entries?: Partial<LambdaEntries>;
}

/**
 * The CDK app with its one stack and the cdk-nag packs. bin/app.ts and the infra tests both build it here, so the
 * tests check exactly what `cdk synth` checks.
 */
export function createApp(
  config: DeploymentConfig,
  options: CreateAppOptions = {},
): { app: App; stack: FrontlineStack } {
  const app = new App(options.appProps);
  const stack = new FrontlineStack(app, config.stackName, {
    config,
    description:
      'Frontline Okta provisioner: Okta event hooks → SQS FIFO → Lambda, scheduled reconcile, alarms',
    ...(options.entries ? { entries: options.entries } : {}),
  });
  // cdk-nag 3 packs are policy-validation plugins: every synth runs them, and any finding not acknowledged
  // (infra/nag-suppressions.ts) fails it. verbose: a finding carries the rule's explanation, saying what to fix.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
  );
  return { app, stack };
}
