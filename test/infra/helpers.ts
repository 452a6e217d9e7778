import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../infra/app';
import { type DeploymentConfig, parseDeploymentConfig } from '../../infra/config';
import type { FrontlineStack } from '../../infra/frontline-stack';

export const EXAMPLE_CONFIG_PATH = join(__dirname, '..', '..', 'examples', 'frontline.config.example.json');

export function exampleConfigJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
}

/** The example config with some fields replaced (undefined removes a field), validated like a file would be. */
export function configWith(overrides: Record<string, unknown> = {}): DeploymentConfig {
  const json: Record<string, unknown> = { ...exampleConfigJson(), ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete json[key];
  return parseDeploymentConfig(json, 'test config');
}

/** Synth takes a few seconds alone, more while the whole suite competes for 2 cores. */
export const SYNTH_TIMEOUT_MS = 90_000;

export interface Synthesized {
  stack: FrontlineStack;
  template: Template;
}

/**
 * Builds the app as bin/app.ts does, from the real lambdas/ entries. `bundle: false` skips esbuild (the CDK's
 * `aws:cdk:bundling-stacks` context, as `cdk deploy --exclusively` uses it): the template is the same except for
 * asset hashes, and a test file stays at a second instead of ~10 s. test/infra/bundling.test.ts bundles for real.
 */
export function synthesize(config: DeploymentConfig, options: { bundle?: boolean } = {}): Synthesized {
  const { stack } = createApp(config, {
    appProps: options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } },
  });
  return { stack, template: Template.fromStack(stack) };
}

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }
>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalIdOf(stack: FrontlineStack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as Parameters<FrontlineStack['getLogicalId']>[0]);
}
