// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import { ConfigError } from './errors';

/** Building blocks shared by every environment schema (local settings and each Lambda's). */

/** An optional variable: blank counts as unset; surrounding spaces are trimmed. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A required variable; the message says what it is for. */
export const requiredString = (what: string) =>
  z
    .string({ error: `is required (${what})` })
    .trim()
    .min(1, `is required (${what})`);

/** An optional whole number in [min, max]; the message gives the range (the variable is named by the caller). */
export function wholeNumber(min: number, max: number) {
  const range = `must be a whole number from ${min} to ${max}`;
  return optionalString.pipe(
    z.coerce
      .number<string | undefined>({ error: range })
      .int({ error: range })
      .min(min, { error: range })
      .max(max, { error: range })
      .optional(),
  );
}

/** "true" / "false", optional. */
export const booleanFlag = optionalString.pipe(
  z.enum(['true', 'false'], { error: 'must be "true" or "false"' }).optional(),
);

/** One line per problem, "VARIABLE message"; zod's messages name types and fields, never the input values. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`);
}

/** A Lambda's environment that can't be used, with every problem listed. Subclasses name the component. */
export class ComponentConfigError extends ConfigError {
  public constructor(component: string, problems: string[]) {
    super(`Invalid ${component} configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
    this.name = 'ComponentConfigError';
  }
}

/**
 * Settings that had other names on Lambda before the local names became the only vocabulary (new name → old
 * name). A function deployed with the old name keeps working: the old value is used when the new one is unset.
 */
export const LEGACY_LAMBDA_ENV_NAMES = {
  FRONTLINE_USERNAME_TEMPLATE: 'USERNAME_TEMPLATE',
  FRONTLINE_PRUNE_UNMANAGED: 'PRUNE_UNMANAGED',
  FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL: 'CLEAR_USERTYPE_ON_REMOVAL',
  OKTA_HOOK_AUTH_HEADER: 'HOOK_AUTH_HEADER',
} as const;

/** The environment with each legacy name copied to its current name where the current one is unset or blank. */
export function withLegacyNames(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolved = { ...env };
  for (const [name, legacy] of Object.entries(LEGACY_LAMBDA_ENV_NAMES)) {
    if ((resolved[name] ?? '').trim() === '' && resolved[legacy] !== undefined)
      resolved[name] = resolved[legacy];
  }
  return resolved;
}

/**
 * What every Lambda that calls Okta reads: where Okta is, its credentials and the app (the policy: ./policy-env.ts).
 * Each carries its description (docs/configuration.md is generated from them: `npm run docs`).
 */
export const oktaLambdaEnvShape = {
  OKTA_ORG_URL: requiredString('the Okta org URL')
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://example.okta.com' }))
    .describe('The Okta org, `https://<your-org>.okta.com`. Required.'),
  OKTA_CREDENTIALS_SECRET_ARN: requiredString(
    'the Secrets Manager secret holding the Okta API token or service-app key',
  ).describe(
    "ARN of the Secrets Manager secret holding the Okta credential (an API token or a service app's private " +
      'key), read at cold start. Required.',
  ),
  FRONTLINE_APP_ID: requiredString('the Frontline SAML app id, 0oa…').describe(
    'The Frontline SAML app (`0oa…`). Required.',
  ),
};

/** What every Okta-calling Lambda's config holds from oktaLambdaEnvShape: the org (no trailing slash), the secret, the app. */
export function oktaLambdaSettingsOf(d: {
  OKTA_ORG_URL: string;
  OKTA_CREDENTIALS_SECRET_ARN: string;
  FRONTLINE_APP_ID: string;
}): { orgUrl: string; credentialsSecretArn: string; appId: string } {
  return {
    orgUrl: d.OKTA_ORG_URL.replace(/\/+$/, ''),
    credentialsSecretArn: d.OKTA_CREDENTIALS_SECRET_ARN,
    appId: d.FRONTLINE_APP_ID,
  };
}
