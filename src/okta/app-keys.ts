import { appKeyOf, type AppKey } from './apps';
import { oktaJson, type RawOktaClient } from './http';

/**
 * Okta's "Generate a key credential" (`POST /api/v1/apps/{appId}/credentials/keys/generate?validityYears=N`,
 * scope `okta.apps.manage`, apps bucket): a new X.509 signing key for the app, valid N years (2–10; else 400
 * E0000001). It is not active until a PUT of the app names it in `credentials.signing.kid` (the API reference's
 * note on the call), so generating one changes nothing for sign-in.
 */
export async function generateAppKey(
  client: RawOktaClient,
  appId: string,
  validityYears: number,
): Promise<AppKey> {
  const key = await oktaJson<Record<string, unknown>>(
    client,
    `/api/v1/apps/${encodeURIComponent(appId)}/credentials/keys/generate?validityYears=${validityYears}`,
    `generate a key for app ${appId}`,
    { method: 'POST' },
  );
  return appKeyOf(key ?? {});
}
