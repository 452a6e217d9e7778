import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CachedSecret } from '../secrets/cached-secret';
import { credentialsFromSecret, type TwilioCredentials } from './config';
import { createFetchFrontlineUsers } from './fetch-users';
import type { FrontlineUsers } from './users';

/** The JSON keys of a Twilio credential; a secret with none of them is the stack's placeholder ("not set yet"). */
const CREDENTIAL_KEYS = ['accountSid', 'authToken', 'apiKeySid', 'apiKeySecret'];

export interface SecretFrontlineUsersOptions {
  client: SecretsManagerClient;
  /** The Twilio credentials secret's ARN (TWILIO_CREDENTIALS_SECRET_ARN). */
  secretId: string;
  /** FRONTLINE_API_URL, already validated. */
  apiUrl: string;
  /** How often a placeholder secret is looked at again, so a value ops put is picked up. @default 300000 */
  recheckMs?: number;
  /** For tests. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * The Frontline Users port on the Lambda: the credentials come from Secrets Manager on first use and are kept for
 * the life of the process. Resolves to undefined while the secret still holds the stack's placeholder, so a
 * deployment whose ops never put a Twilio credential behaves exactly as before. A value that is neither
 * placeholder nor credential throws FrontlineConfigError (naming fields, never values): every item then fails
 * loudly until it is fixed.
 */
export function secretFrontlineUsers(
  options: SecretFrontlineUsersOptions,
): () => Promise<FrontlineUsers | undefined> {
  const secret = new CachedSecret<TwilioCredentials | 'not-set'>({
    client: options.client,
    secretId: options.secretId,
    parse: parseTwilioSecret,
    minRefreshIntervalMs: options.recheckMs ?? 300_000,
  });
  let built: { credentials: TwilioCredentials; users: FrontlineUsers } | undefined;
  return async () => {
    let value = await secret.get();
    if (value === 'not-set') value = (await secret.refresh()) ?? 'not-set';
    if (value === 'not-set') return undefined;
    if (built?.credentials !== value) {
      built = {
        credentials: value,
        users: createFetchFrontlineUsers({
          apiUrl: options.apiUrl,
          credentials: value,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      };
    }
    return built.users;
  };
}

/** The secret's text as credentials, or `not-set` for the placeholder. Never echoes the text. */
export function parseTwilioSecret(text: string): TwilioCredentials | 'not-set' {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  if (isObject && !CREDENTIAL_KEYS.some((k) => k in (json as object))) return 'not-set';
  return credentialsFromSecret(json);
}
