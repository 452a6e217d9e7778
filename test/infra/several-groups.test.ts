import type { Template } from 'aws-cdk-lib/assertions';
import { parseDeploymentConfig, type DeploymentConfig } from '../../infra/config';
import { deploymentPolicy } from '../../infra/deployment-policy';
import type { FrontlineStack } from '../../infra/frontline-stack';
import { ENV } from '../../infra/lambda-env';
import { BOOTSTRAP_RESOURCE_TYPES } from '../../src/bootstrap/resource-types';
import { loadCatchupLambdaConfig } from '../../src/catchup/lambda-config';
import { loadReceiverConfig } from '../../src/receiver/config';
import { loadReconcileLambdaConfig } from '../../src/reconcile/lambda-config';
import { loadWorkerLambdaConfig } from '../../src/worker/lambda-config';
import {
  configWith,
  exampleConfigJson,
  logicalIdOf,
  resourcesOf,
  synthesize,
  SYNTH_TIMEOUT_MS,
} from './helpers';

/** Two Frontline groups ("Frontline – Sales", "Frontline – Service"): valid Okta ids, "00g" + 17 letters/digits. */
const GROUP_A = '00gSalesAgents000000';
const GROUP_B = '00gServiceAgents0000';

type Fn = { function: { node: { defaultChild?: unknown } } };

function envOf(stack: FrontlineStack, template: Template, fn: Fn): Record<string, unknown> {
  const props = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(stack, fn.function)]?.Properties;
  return (props?.Environment as { Variables: Record<string, unknown> }).Variables;
}

/**
 * The environment as the function sees it once deployed: CloudFormation resolves a Ref or GetAtt (the queue URL,
 * a secret's ARN, the bootstrapped app id) to a string; a stand-in of the right form takes its place here.
 */
function deployed(variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? value
        : name === ENV.workQueueUrl
          ? 'https://sqs.eu-west-1.amazonaws.com/123456789012/Work.fifo'
          : name === ENV.appId
            ? '0oa1a2b3c4d5e6f7g8h9'
            : `resolved-${name.toLowerCase()}`,
    ]),
  );
}

describe('Stack: FrontlineStack with two Frontline groups', () => {
  let config: DeploymentConfig;
  let stack: FrontlineStack;
  let template: Template;

  beforeAll(() => {
    // Every policy field away from its default, so reading the policy back proves each one travels.
    config = configWith({
      groupId: undefined,
      groupIds: [GROUP_A, GROUP_B],
      usernameTemplate: '${source.login}',
      clearUserTypeOnRemoval: true,
      pruneUnmanaged: true,
      suspendedPolicy: 'keep',
      massRemovalMaxShare: 0.25,
    });
    ({ stack, template } = synthesize(config));
  }, SYNTH_TIMEOUT_MS);

  const env = (fn: Fn) => envOf(stack, template, fn);

  it('synthesizes from a config that names the groups with groupIds alone', () => {
    expect(config.groupId).toBeUndefined();
    expect(deploymentPolicy(config).groupIds).toEqual([GROUP_A, GROUP_B]);
    expect(
      resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(stack, stack.worker.function)],
    ).toBeDefined();
  });

  it('gives the worker, reconcile, catch-up and receiver both groups as FRONTLINE_GROUP_IDS, and no FRONTLINE_GROUP_ID', () => {
    for (const fn of [stack.worker, stack.reconcile, stack.catchup.handler, stack.receiver]) {
      expect(env(fn)[ENV.groupIds]).toBe(`${GROUP_A},${GROUP_B}`);
      expect(env(fn)).not.toHaveProperty(ENV.groupId);
    }
  });

  it('gives the catch-up no username template: it selects work, it does not converge', () => {
    expect(env(stack.catchup.handler)).not.toHaveProperty(ENV.usernameTemplate);
    expect(env(stack.worker)[ENV.usernameTemplate]).toBe('${source.login}');
    expect(env(stack.reconcile)[ENV.usernameTemplate]).toBe('${source.login}');
  });

  it('lets the worker’s loader read back the deployment’s policy from the synthesized environment', () => {
    const loaded = loadWorkerLambdaConfig(deployed(env(stack.worker)));

    expect(loaded.policy).toEqual(deploymentPolicy(config));
    expect(loaded.policy).toMatchObject({
      groupIds: [GROUP_A, GROUP_B],
      pinnedUserNameTemplate: '${source.login}',
      clearUserTypeOnRemoval: true,
      pruneUnmanaged: true,
      suspendedPolicy: 'keep',
      maxRemovalShare: 0.25,
    });
  });

  it('lets the reconcile’s loader read back the deployment’s policy from the synthesized environment', () => {
    const loaded = loadReconcileLambdaConfig(deployed(env(stack.reconcile)));

    expect(loaded.policy).toEqual(deploymentPolicy(config));
  });

  it('lets the receiver’s and the catch-up’s loaders read back both groups', () => {
    expect(loadReceiverConfig(deployed(env(stack.receiver))).groupIds).toEqual([GROUP_A, GROUP_B]);
    expect(loadCatchupLambdaConfig(deployed(env(stack.catchup.handler)), 'hook').groupIds).toEqual([
      GROUP_A,
      GROUP_B,
    ]);
  });
});

describe('Stack: FrontlineStack in group mode with two Frontline groups and bootstrap on', () => {
  let config: DeploymentConfig;
  let stack: FrontlineStack;
  let template: Template;

  beforeAll(() => {
    config = configWith({
      groupId: undefined,
      groupIds: [GROUP_A, GROUP_B],
      assignmentMode: 'group',
      bootstrap: true,
      appId: undefined,
    });
    ({ stack, template } = synthesize(config));
  }, SYNTH_TIMEOUT_MS);

  const env = (fn: Fn) => envOf(stack, template, fn);

  it('asks the OktaBootstrap custom resource to assign both groups, as GroupIds', () => {
    const app = resourcesOf(template, BOOTSTRAP_RESOURCE_TYPES.app)[logicalIdOf(stack, stack.bootstrap!.app)];

    expect(app?.Properties).toMatchObject({ AssignmentMode: 'group', GroupIds: [GROUP_A, GROUP_B] });
    expect(app?.Properties).not.toHaveProperty('GroupId');
  });

  it('gives the worker and the reconcile the group-mode policy with both groups', () => {
    for (const loaded of [
      loadWorkerLambdaConfig(deployed(env(stack.worker))),
      loadReconcileLambdaConfig(deployed(env(stack.reconcile))),
    ]) {
      expect(loaded.policy).toEqual(deploymentPolicy(config));
      expect(loaded.policy).toMatchObject({ groupIds: [GROUP_A, GROUP_B], assignmentMode: 'group' });
    }
  });
});

describe('Function: parseDeploymentConfig with groupIds', () => {
  function problemsOf(overrides: Record<string, unknown>): readonly string[] {
    const json: Record<string, unknown> = { ...exampleConfigJson(), ...overrides };
    for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete json[key];
    try {
      parseDeploymentConfig(json, 'test');
    } catch (error) {
      return (error as { problems: readonly string[] }).problems;
    }
    throw new Error('expected a ConfigError');
  }

  it('refuses a config with neither groupId nor groupIds, naming groupId', () => {
    expect(problemsOf({ groupId: undefined })).toEqual([expect.stringMatching(/^groupId: \(missing\) — /)]);
    expect(() => configWith({ groupId: undefined })).toThrow(/groupId/);
  });

  it('refuses a groupIds entry that is not an Okta group id, naming the entry', () => {
    expect(problemsOf({ groupId: undefined, groupIds: [GROUP_A, '00gshort'] })).toEqual([
      'groupIds.1: "00gshort" — must be an Okta group id: "00g" followed by 17 letters or digits',
    ]);
  });

  it('joins groupId and groupIds into the policy’s groups, each once, groupId first', () => {
    const config = configWith({ groupId: GROUP_A, groupIds: [GROUP_B, GROUP_A] });

    expect(deploymentPolicy(config).groupIds).toEqual([GROUP_A, GROUP_B]);
  });
});
