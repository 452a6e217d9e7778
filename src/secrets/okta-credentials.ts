// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import { SecretError } from './errors';
import { describeIssues } from './hook-secret';

/**
 * How we authenticate to Okta: an SSWS API token, or an OAuth 2.0 service app with a private key. Defined here, the
 * lowest adapter, so that parsing a secret never pulls in the Okta SDK; src/okta/client.ts re-exports it.
 */
export type OktaCredentials =
  | { kind: 'ssws'; token: string }
  | { kind: 'private-key'; clientId: string; privateKey: string; keyId?: string; scopes: string[] };

const nonEmpty = z.string().trim().min(1, { error: 'must be a non-empty string' });

const OrgUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://example.okta.com' })
  .optional();

const ApiTokenSecretSchema = z.strictObject({
  orgUrl: OrgUrlSchema,
  apiToken: nonEmpty,
});

const PrivateKeySecretSchema = z.strictObject({
  orgUrl: OrgUrlSchema,
  clientId: nonEmpty,
  // PEM text, or a JWK (object or its JSON text); the SDK accepts either.
  privateKey: z.union([nonEmpty, z.record(z.string(), z.unknown())], {
    error: 'must be a PEM string or a JWK object',
  }),
  keyId: nonEmpty.optional(),
  scopes: z
    .union([z.array(nonEmpty).min(1), nonEmpty], {
      error: 'must be a list of scopes or a space-separated string',
    })
    .optional(),
});

export const OktaCredentialsSecretSchema = z.union([ApiTokenSecretSchema, PrivateKeySecretSchema]);
export type OktaCredentialsSecret = z.infer<typeof OktaCredentialsSecretSchema>;

export interface ParsedOktaCredentials {
  /** Present when the secret carries it; otherwise the caller's configuration says where the org is. */
  orgUrl: string | undefined;
  credentials: OktaCredentials;
}

/**
 * Parses the Okta credentials secret: `{"orgUrl"?, "apiToken"}` or
 * `{"orgUrl"?, "clientId", "privateKey", "keyId"?, "scopes"?}`. Errors name the fields, never their values.
 *
 * @param defaultScopes scopes for a service app whose secret lists none (the worker passes `OKTA_SCOPES`).
 */
export function parseOktaCredentialsSecret(
  secretString: string,
  defaultScopes: readonly string[],
  secretId = 'Okta credentials secret',
): ParsedOktaCredentials {
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    throw new SecretError(secretId, 'is not valid JSON (expected {"apiToken"} or {"clientId","privateKey"})');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SecretError(secretId, 'must be a JSON object with "apiToken", or "clientId" and "privateKey"');
  }
  const keys = Object.keys(json);
  const hasToken = keys.includes('apiToken');
  const hasKey = keys.includes('clientId') || keys.includes('privateKey');
  if (hasToken && hasKey) {
    throw new SecretError(secretId, 'has both "apiToken" and "clientId"/"privateKey": choose one credential');
  }
  if (!hasToken && !hasKey) {
    throw new SecretError(secretId, 'needs "apiToken", or "clientId" and "privateKey"');
  }
  const schema = hasToken ? ApiTokenSecretSchema : PrivateKeySecretSchema;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SecretError(secretId, describeIssues(parsed.error));

  const data = parsed.data;
  const orgUrl = data.orgUrl?.replace(/\/+$/, '');
  if ('apiToken' in data) return { orgUrl, credentials: { kind: 'ssws', token: data.apiToken } };

  const scopes =
    data.scopes === undefined
      ? [...defaultScopes]
      : typeof data.scopes === 'string'
        ? data.scopes.split(/[\s,]+/).filter(Boolean)
        : data.scopes;
  const privateKey =
    typeof data.privateKey === 'string'
      ? // JSON secrets edited by hand often carry literal "\n" instead of newlines.
        data.privateKey.replace(/\\n/g, '\n')
      : JSON.stringify(data.privateKey);
  return {
    orgUrl,
    credentials: {
      kind: 'private-key',
      clientId: data.clientId,
      privateKey,
      ...(data.keyId ? { keyId: data.keyId } : {}),
      scopes,
    },
  };
}
