// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import { SecretError } from './errors';

/**
 * The shortest hook secret accepted anywhere: OKTA_HOOK_SECRET and OKTA_HOOK_SECRET_PREVIOUS locally, `current` and
 * `previous` in the Lambda's secret. The previous one still opens the receiver during a rotation, so it is held to
 * the same length. Neither message echoes the value.
 */
export const HOOK_SECRET_MIN_LENGTH = 16;
export const HOOK_SECRET_TOO_SHORT = `must be at least ${HOOK_SECRET_MIN_LENGTH} characters`;

const hookSecretValue = z.string().min(HOOK_SECRET_MIN_LENGTH, { error: HOOK_SECRET_TOO_SHORT });

/** The event hook's shared secret; `previous` is accepted too while Okta is being switched to `current`. */
export const HookSecretsSchema = z.object({
  current: hookSecretValue,
  previous: z
    .string()
    .nullish()
    .transform((v) => (v ? v : undefined))
    .pipe(hookSecretValue.optional()),
});
export type HookSecrets = z.infer<typeof HookSecretsSchema>;

/**
 * Parses the hook secret: `{"current":"…","previous":"…"}` (previous optional). A SecretString that is not a JSON
 * object is taken as the current secret by itself, the shape a plain-text secret has.
 */
export function parseHookSecrets(secretString: string, secretId = 'hook secret'): HookSecrets {
  const text = secretString.trim();
  if (!text.startsWith('{')) {
    if (!text) throw new SecretError(secretId, 'is empty');
    if (text.length < HOOK_SECRET_MIN_LENGTH) throw new SecretError(secretId, HOOK_SECRET_TOO_SHORT);
    return { current: text, previous: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SecretError(secretId, 'is not valid JSON');
  }
  const parsed = HookSecretsSchema.safeParse(json);
  if (!parsed.success) throw new SecretError(secretId, describeIssues(parsed.error));
  return parsed.data;
}

/** "field: problem" for each issue. zod messages name types and fields, not input values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'} ${i.message}`).join('; ');
}
