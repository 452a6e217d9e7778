import { z } from 'zod';
import {
  booleanFlag,
  ComponentConfigError,
  oktaLambdaEnvShape,
  optionalString,
  problemsOf,
  withLegacyNames,
} from '../config/env-schema';
import { userNameTemplateProblem } from '../domain/username-template';
import {
  ASSIGNMENT_MODES,
  DEFAULT_ASSIGNMENT_MODE,
  DEFAULT_SUSPENDED_POLICY,
  SUSPENDED_POLICIES,
  type AssignmentMode,
  type SuspendedPolicy,
} from '../domain/desired-state';

/** FRONTLINE_SUSPENDED_POLICY: `remove` (default) or `keep` (src/domain/desired-state.ts, "Suspension"). */
export const suspendedPolicyFlag = optionalString.pipe(
  z.enum(SUSPENDED_POLICIES, { error: 'must be "keep" or "remove"' }).optional(),
);

/** FRONTLINE_ASSIGNMENT_MODE: `user` (default) or `group` (src/domain/desired-state.ts, "Group mode"). */
export const assignmentModeFlag = optionalString.pipe(
  z.enum(ASSIGNMENT_MODES, { error: 'must be "user" or "group"' }).optional(),
);

/** The provisioning worker Lambda's settings, named as the infrastructure sets them. */
export interface WorkerLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
  appId: string;
  groupId: string;
  /** FRONTLINE_USERNAME_TEMPLATE when set (pinned); undefined = the app's own template. */
  userNameTemplate: string | undefined;
  clearUserTypeOnRemoval: boolean;
  pruneUnmanaged: boolean;
  suspendedPolicy: SuspendedPolicy;
  assignmentMode: AssignmentMode;
}

export class WorkerConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('worker', problems);
    this.name = 'WorkerConfigError';
  }
}

export const WorkerEnvSchema = z.object({
  ...oktaLambdaEnvShape,
  FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL: booleanFlag,
  FRONTLINE_SUSPENDED_POLICY: suspendedPolicyFlag,
  FRONTLINE_ASSIGNMENT_MODE: assignmentModeFlag,
});

/** Reads the worker's environment once (cold start); throws naming every bad variable, never echoing a value. */
export function loadWorkerLambdaConfig(env: NodeJS.ProcessEnv): WorkerLambdaConfig {
  const parsed = WorkerEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  // Unset = not pinned: assignments take the username the app's own template gives (Okta computes it).
  const userNameTemplate = parsed.success ? parsed.data.FRONTLINE_USERNAME_TEMPLATE : undefined;
  const templateProblem =
    userNameTemplate === undefined
      ? undefined
      : userNameTemplateProblem(userNameTemplate, 'FRONTLINE_USERNAME_TEMPLATE');
  if (templateProblem) problems.push(templateProblem);
  if (!parsed.success || problems.length > 0) throw new WorkerConfigError(problems);
  const d = parsed.data;
  return {
    orgUrl: d.OKTA_ORG_URL.replace(/\/+$/, ''),
    credentialsSecretArn: d.OKTA_CREDENTIALS_SECRET_ARN,
    appId: d.FRONTLINE_APP_ID,
    groupId: d.FRONTLINE_GROUP_ID,
    userNameTemplate,
    clearUserTypeOnRemoval: d.FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL === 'true',
    pruneUnmanaged: d.FRONTLINE_PRUNE_UNMANAGED === 'true',
    suspendedPolicy: d.FRONTLINE_SUSPENDED_POLICY ?? DEFAULT_SUSPENDED_POLICY,
    assignmentMode: d.FRONTLINE_ASSIGNMENT_MODE ?? DEFAULT_ASSIGNMENT_MODE,
  };
}
