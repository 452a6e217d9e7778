// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import { SecretError } from './errors';

/** The event hook's shared secret; `previous` is accepted too while Okta is being switched to `current`. */
export const HookSecretsSchema = z.object({
  current: z.string().min(1, { error: 'must be a non-empty string' }),
  previous: z
    .string()
    .nullish()
    .transform((v) => (v ? v : undefined)),
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
