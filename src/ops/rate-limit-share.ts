import type { OktaCredentials } from '../okta/client';
import { OktaPermanentError } from '../okta/errors';
import { oktaJson, type RawOktaClient } from '../okta/http';

/*
 * `doctor`'s line on this credential's share of Okta's rate limits. By default one API token or OAuth service app
 * may use 50% of each bucket (developer docs `rl2-token-oauth`); an admin can change it with the Principal Rate
 * Limits API (`/api/v1/principal-rate-limits`, one entity per principal, `defaultPercentage`), which needs
 * `okta.principalRateLimits.read` (a service app must be granted it; the project does not ask for it) or an API
 * token of an admin who may read it. Where Okta lets it be read the share is reported; where not, doctor says so and
 * assumes the default. The headers of every call show the share's ceiling anyway; other integrations share the
 * rest of the org's bucket, which no header shows (docs/design.md, "Okta's rate limits").
 */

export const DEFAULT_SHARE_PERCENT = 50;

interface PrincipalRateLimitEntity {
  principalId?: string;
  principalType?: string;
  defaultPercentage?: number;
}

/** The credential's share, percent, or why it can't be read. */
export async function readCredentialShare(
  client: RawOktaClient,
  credentials: OktaCredentials,
): Promise<{ percent: number; configured: boolean } | { unreadable: string }> {
  try {
    let principalId: string;
    let type: 'SSWS_TOKEN' | 'OAUTH_CLIENT';
    if (credentials.kind === 'ssws') {
      const token = await oktaJson<{ id?: string }>(
        client,
        '/api/v1/api-tokens/current',
        'GET the API token',
      );
      if (!token?.id) return { unreadable: 'Okta did not name the API token' };
      principalId = token.id;
      type = 'SSWS_TOKEN';
    } else {
      principalId = credentials.clientId;
      type = 'OAUTH_CLIENT';
    }
    const filter = encodeURIComponent(`principalType eq "${type}"`);
    const entities =
      (await oktaJson<PrincipalRateLimitEntity[]>(
        client,
        `/api/v1/principal-rate-limits?filter=${filter}`,
        'GET the principal rate limits',
      )) ?? [];
    const mine = entities.find((e) => e.principalId === principalId);
    return typeof mine?.defaultPercentage === 'number'
      ? { percent: mine.defaultPercentage, configured: true }
      : { percent: DEFAULT_SHARE_PERCENT, configured: false };
  } catch (err) {
    if (err instanceof OktaPermanentError && (err.kind === 'forbidden' || err.kind === 'not-found'))
      return { unreadable: err.message };
    throw err;
  }
}

/** doctor's check: always `ok` (a share is a fact to know, not a fault), with what was found. */
export async function rateLimitShareCheck(
  client: RawOktaClient,
  credentials: OktaCredentials,
): Promise<{ name: string; ok: boolean; message: string }> {
  const name = 'rate-limit share';
  const who = credentials.kind === 'ssws' ? 'the API token' : `the service app ${credentials.clientId}`;
  try {
    const share = await readCredentialShare(client, credentials);
    if ('unreadable' in share) {
      const grant =
        credentials.kind === 'ssws'
          ? 'the token’s admin may not read it'
          : 'grant okta.principalRateLimits.read to read it';
      return {
        name,
        ok: true,
        message: `${who}'s share of each rate-limit bucket can't be read (${grant}); Okta's default is ${DEFAULT_SHARE_PERCENT}%`,
      };
    }
    return {
      name,
      ok: true,
      message: share.configured
        ? `${who} may use ${share.percent}% of each rate-limit bucket (Principal Rate Limits API); other integrations share the rest`
        : `${who} has no principal rate limit set: Okta's default, ${share.percent}% of each bucket; other integrations share the rest`,
    };
  } catch (err) {
    return {
      name,
      ok: true,
      message: `reading ${who}'s rate-limit share failed (${err instanceof Error ? err.message : String(err)}); Okta's default is ${DEFAULT_SHARE_PERCENT}%`,
    };
  }
}
