import { OKTA_SCOPES, type OktaCredentials } from '../okta/client';
import { privateKeyProblem } from '../okta/private-key';

/**
 * The Okta credential from the environment: an SSWS API token, or a service app's client id and private key.
 * Every problem is pushed as one line naming the variable; no value is ever quoted (they are secrets).
 */
export function resolveCredentials(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): OktaCredentials | undefined {
  const token = apiToken(env.OKTA_API_TOKEN);
  const clientId = env.OKTA_CLIENT_ID?.trim() || undefined;
  const privateKey = env.OKTA_PRIVATE_KEY?.trim() || undefined;
  if (token && (clientId || privateKey)) {
    problems.push('OKTA_API_TOKEN and OKTA_CLIENT_ID/OKTA_PRIVATE_KEY are both set: choose one credential');
    return undefined;
  }
  if (token) return { kind: 'ssws', token };
  if (clientId && privateKey) {
    // Env vars can't hold newlines comfortably; accept "\n" escapes.
    const pem = privateKey.replace(/\\n/g, '\n');
    const keyProblem = privateKeyProblem(pem);
    if (keyProblem) {
      problems.push(`OKTA_PRIVATE_KEY ${keyProblem}`);
      return undefined;
    }
    const scopes = env.OKTA_SCOPES?.split(/[\s,]+/).filter(Boolean) ?? OKTA_SCOPES;
    return {
      kind: 'private-key',
      clientId,
      privateKey: pem,
      ...(env.OKTA_KEY_ID?.trim() ? { keyId: env.OKTA_KEY_ID.trim() } : {}),
      scopes,
    };
  }
  if (clientId || privateKey) {
    problems.push(
      `${clientId ? 'OKTA_PRIVATE_KEY' : 'OKTA_CLIENT_ID'} is required with ${clientId ? 'OKTA_CLIENT_ID' : 'OKTA_PRIVATE_KEY'}`,
    );
    return undefined;
  }
  problems.push('OKTA_API_TOKEN (or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY) is required');
  return undefined;
}

/**
 * The token as the SDK wants it. Okta's console and docs show the header as `Authorization: SSWS <token>`, so a
 * token pasted with its scheme is common: the scheme is dropped rather than sent twice ("SSWS SSWS …" is a 401).
 */
function apiToken(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  return value.replace(/^SSWS\s+/i, '').trim() || undefined;
}
