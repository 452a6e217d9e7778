import { oktaJson, type RawOktaClient } from '../okta/http';
import { OktaPermanentError, OktaTransientError } from '../okta/errors';

/**
 * Problems that no retry can fix, found before `serve` accepts a single delivery (an unreadable key is already
 * refused by the settings): what Okta says about our credentials and the app. One line per problem, no secrets.
 */
export async function oktaProblems(
  client: RawOktaClient,
  appId: string,
  orgUrl: string,
): Promise<{ problems: string[]; warning?: string }> {
  const problems = await oktaCheck(client, appId, orgUrl);
  // Okta being down is no configuration error: serve starts, keeps what it accepts, and retries.
  return problems[0]?.startsWith('cannot reach') ? { problems: [], warning: problems[0] } : { problems };
}

async function oktaCheck(client: RawOktaClient, appId: string, orgUrl: string): Promise<string[]> {
  try {
    await oktaJson(client, `/api/v1/apps/${encodeURIComponent(appId)}`, 'GET app');
    return [];
  } catch (err) {
    if (err instanceof OktaPermanentError) {
      if (err.kind === 'auth') return [`Okta at ${orgUrl} rejects the credentials: ${err.message}`];
      if (err.kind === 'not-found') return [`FRONTLINE_APP_ID ${appId} is not an app in ${orgUrl}`];
      if (err.kind === 'forbidden')
        return [`the credentials may not read app ${appId} (okta.apps.read): ${err.message}`];
      return [`Okta refused reading app ${appId}: ${err.message}`];
    }
    if (err instanceof OktaTransientError) return [`cannot reach Okta at ${orgUrl}: ${err.message}`];
    return [`checking Okta at ${orgUrl} failed: ${err instanceof Error ? err.message : String(err)}`];
  }
}
