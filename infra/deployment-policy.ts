import { resolvePolicy, type Policy } from '../src/domain/policy';
import type { DeploymentConfig } from './config';

/**
 * The deployment's policy: the groups and the policy fields the file sets, every other field at the policy's own
 * default (src/domain/policy.ts), as the Lambdas resolve it from the environment this becomes.
 */
export function deploymentPolicy(config: DeploymentConfig): Policy {
  return resolvePolicy({
    groupIds: [...(config.groupId ? [config.groupId] : []), ...(config.groupIds ?? [])],
    assignmentMode: config.assignmentMode,
    suspendedPolicy: config.suspendedPolicy,
    clearUserTypeOnRemoval: config.clearUserTypeOnRemoval,
    pruneUnmanaged: config.pruneUnmanaged,
    pinnedUserNameTemplate: config.usernameTemplate,
    maxRemovalShare: config.massRemovalMaxShare,
    maxGrantShare: config.massGrantMaxShare,
  });
}
