// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the bundles never use.
import * as z from 'zod';
import {
  ASSIGNMENT_MODES,
  POLICY_DEFAULTS,
  resolvePolicy,
  SUSPENDED_POLICIES,
  type Policy,
} from '../domain/policy';
import { userNameTemplateProblem } from '../domain/username-template';
import { booleanFlag, optionalString } from './env-schema';

/** A share from 0 to 1. */
const shareOfOne = optionalString.pipe(
  z.coerce
    .number<string | undefined>({ error: 'must be a number from 0 to 1' })
    .min(0, { error: 'must be a number from 0 to 1' })
    .max(1, { error: 'must be a number from 0 to 1' })
    .optional(),
);

/**
 * The policy's variables, read by `serve`, the CLI and every Lambda that converges or selects work. Each carries its
 * description (docs/configuration.md is generated from them); the defaults are POLICY_DEFAULTS' own.
 */
export const policyEnvShape = {
  FRONTLINE_GROUP_ID: optionalString.describe(
    'The Okta group whose members get Frontline (`00g…`): the one-group form of FRONTLINE_GROUP_IDS.',
  ),
  FRONTLINE_GROUP_IDS: optionalString.describe(
    'Several Frontline groups, comma-separated (`00gA,00gB`): a member of any of them is an agent, leaving the ' +
      'last one takes access away; in group mode each is assigned to the app. Joined with FRONTLINE_GROUP_ID.',
  ),
  FRONTLINE_USERNAME_TEMPLATE: optionalString.describe(
    'Pins the app username template (Okta expression: `${source.email}`, `${source.login}`…); the app guard ' +
      "reports drift from it. Unset: the app's own template is the admin's choice.",
  ),
  FRONTLINE_ASSIGNMENT_MODE: optionalString
    .pipe(z.enum(ASSIGNMENT_MODES, { error: 'must be "user" or "group"' }).optional())
    .describe(
      '`user` assigns each member; `group` has the Frontline groups assigned to the app and only writes ' +
        `\`userType\` (docs/design.md, "Assignment mode"). Default: \`${POLICY_DEFAULTS.assignmentMode}\`.`,
    ),
  FRONTLINE_SUSPENDED_POLICY: optionalString
    .pipe(z.enum(SUSPENDED_POLICIES, { error: 'must be "keep" or "remove"' }).optional())
    .describe(
      '`remove` takes a suspended member’s access away (and ends their Frontline session); `keep` writes ' +
        `nothing on suspend (docs/design.md, "Suspension"). Default: \`${POLICY_DEFAULTS.suspendedPolicy}\`.`,
    ),
  FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL: booleanFlag.describe(
    `\`true\` clears \`profile.userType\` when access goes. Default: \`${POLICY_DEFAULTS.clearUserTypeOnRemoval}\`.`,
  ),
  FRONTLINE_PRUNE_UNMANAGED: booleanFlag.describe(
    '`true` also removes assignments this tool did not make (assigned by hand, never in a Frontline group). ' +
      `Default: \`${POLICY_DEFAULTS.pruneUnmanaged}\`.`,
  ),
  RECONCILE_MAX_REMOVAL_SHARE: shareOfOne.describe(
    'Largest share of current assignments one reconcile may remove before the mass-removal guard stops it ' +
      `(at least ${POLICY_DEFAULTS.minRemovalAllowance} are always allowed). Default: ` +
      `\`${POLICY_DEFAULTS.maxRemovalShare}\`.`,
  ),
  RECONCILE_MAX_GRANT_SHARE: shareOfOne.describe(
    "Largest share of the Frontline groups' members one reconcile may grant Frontline to before the mass-grant " +
      `guard stops it (at least ${POLICY_DEFAULTS.minGrantAllowance} are always allowed): a wrong group id must not ` +
      'hand the app to everyone. The first backfill after install is confirmed once with `reconcile ' +
      `--allow-mass-grant\`. Default: \`${POLICY_DEFAULTS.maxGrantShare}\`.`,
  ),
};

export type PolicyEnv = z.infer<z.ZodObject<typeof policyEnvShape>>;

export const GROUP_REQUIRED =
  'FRONTLINE_GROUP_ID is required (the Okta group whose members get Frontline; or FRONTLINE_GROUP_IDS)';

/** The Frontline groups named by FRONTLINE_GROUP_ID and FRONTLINE_GROUP_IDS, each once, in that order. */
export function groupIdsOf(env: Pick<PolicyEnv, 'FRONTLINE_GROUP_ID' | 'FRONTLINE_GROUP_IDS'>): string[] {
  const listed = (env.FRONTLINE_GROUP_IDS ?? '').split(',').map((id) => id.trim());
  return [...new Set([env.FRONTLINE_GROUP_ID, ...listed].filter((id): id is string => Boolean(id)))];
}

/**
 * The policy from parsed variables; a problem (no group where one is required, a template Okta's expression
 * language can't give) is pushed as one line naming the variable, never quoting its value.
 */
export function policyFromEnv(
  env: PolicyEnv,
  problems: string[],
  options: { requireGroup: boolean },
): Policy {
  const groupIds = groupIdsOf(env);
  if (options.requireGroup && groupIds.length === 0) problems.push(GROUP_REQUIRED);
  const template = env.FRONTLINE_USERNAME_TEMPLATE;
  const templateProblem = template
    ? userNameTemplateProblem(template, 'FRONTLINE_USERNAME_TEMPLATE')
    : undefined;
  if (templateProblem) problems.push(templateProblem);
  return resolvePolicy({
    groupIds,
    assignmentMode: env.FRONTLINE_ASSIGNMENT_MODE,
    suspendedPolicy: env.FRONTLINE_SUSPENDED_POLICY,
    clearUserTypeOnRemoval: flagValue(env.FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL),
    pruneUnmanaged: flagValue(env.FRONTLINE_PRUNE_UNMANAGED),
    pinnedUserNameTemplate: template,
    maxRemovalShare: env.RECONCILE_MAX_REMOVAL_SHARE,
    maxGrantShare: env.RECONCILE_MAX_GRANT_SHARE,
  });
}

const flagValue = (flag: 'true' | 'false' | undefined): boolean | undefined =>
  flag === undefined ? undefined : flag === 'true';

const PolicyEnvSchema = z.object(policyEnvShape);

/**
 * The policy from the raw environment, read on its own so that a bad variable elsewhere still lets every policy
 * problem be named in the same run: the group and template problems are pushed here; a policy variable's own
 * schema problem is the caller's schema's to report (its schema spreads policyEnvShape). Undefined when a policy
 * variable does not parse.
 */
export function readPolicy(
  env: NodeJS.ProcessEnv,
  problems: string[],
  options: { requireGroup: boolean },
): Policy | undefined {
  const parsed = PolicyEnvSchema.safeParse(env);
  if (!parsed.success) {
    if (options.requireGroup) readGroupIds(env, problems);
    const template = env.FRONTLINE_USERNAME_TEMPLATE?.trim();
    const templateProblem = template
      ? userNameTemplateProblem(template, 'FRONTLINE_USERNAME_TEMPLATE')
      : undefined;
    if (templateProblem) problems.push(templateProblem);
    return undefined;
  }
  return policyFromEnv(parsed.data, problems, options);
}

/** The Frontline groups from the raw environment (the receiver and the catch-up need nothing else of the policy). */
export function readGroupIds(env: NodeJS.ProcessEnv, problems: string[]): string[] {
  const groupIds = groupIdsOf({
    FRONTLINE_GROUP_ID: env.FRONTLINE_GROUP_ID?.trim() || undefined,
    FRONTLINE_GROUP_IDS: env.FRONTLINE_GROUP_IDS?.trim() || undefined,
  });
  if (groupIds.length === 0) problems.push(GROUP_REQUIRED);
  return groupIds;
}
