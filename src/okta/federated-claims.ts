import type { FederatedClaim } from '../domain/federated-claims';
import { OktaError } from './errors';
import { oktaJson, oktaRaw, pagesOf, type RawOktaClient } from './http';

/**
 * Okta's "Application SSO Federated Claims" API (Management API reference; okta-sdk-nodejs 8.1
 * `applicationApi.listFederatedClaims` etc.): `GET|POST /api/v1/apps/{appId}/federated-claims`,
 * `GET|PUT|DELETE …/{claimId}`, each `{ id, name, expression, created, lastUpdated }`; scopes `okta.apps.read` /
 * `okta.apps.manage`; the apps rate-limit bucket (every `/api/v1/apps/{id}/*` call). The claims are not part of
 * `GET /api/v1/apps/{id}`, so the app check reads them here.
 */

const enc = encodeURIComponent;

function claimOf(raw: Record<string, unknown>): FederatedClaim | undefined {
  const { id, name, expression } = raw;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof expression !== 'string') return undefined;
  return { id, name, expression };
}

/**
 * Okta's answers for a path it does not serve (E0000022 "The endpoint does not support the provided HTTP method",
 * E0000008 "The requested path was not found"; developer.okta.com/docs/reference/error-codes), as opposed to
 * E0000007, a resource that is gone.
 */
const NO_SUCH_ENDPOINT = new Set(['E0000022', 'E0000008']);

/**
 * Every claim of the app. The spec documents no paging for this list; a `next` link is followed all the same. An
 * org whose Okta does not serve the API at all (its answer names the path, not the app) has no claims; any other
 * failure, a missing app included, is thrown.
 */
export async function listFederatedClaims(client: RawOktaClient, appId: string): Promise<FederatedClaim[]> {
  const claims: FederatedClaim[] = [];
  try {
    for await (const page of pagesOf<Record<string, unknown>>(
      client,
      `/api/v1/apps/${enc(appId)}/federated-claims`,
      `list federated claims of app ${appId}`,
    )) {
      for (const raw of page) {
        const claim = claimOf(raw);
        if (claim) claims.push(claim);
      }
    }
  } catch (err) {
    if (err instanceof OktaError && err.status === 404 && NO_SUCH_ENDPOINT.has(err.errorCode ?? ''))
      return [];
    throw err;
  }
  return claims;
}

/** Replaces the claim's name and expression (Okta answers 201 with the claim, per the spec). */
export async function replaceFederatedClaim(
  client: RawOktaClient,
  appId: string,
  claim: FederatedClaim,
): Promise<void> {
  await oktaJson(
    client,
    `/api/v1/apps/${enc(appId)}/federated-claims/${enc(claim.id)}`,
    `replace federated claim ${claim.id} of app ${appId}`,
    { method: 'PUT', body: { name: claim.name, expression: claim.expression } },
  );
}

/** Deletes the claim (204). */
export async function deleteFederatedClaim(
  client: RawOktaClient,
  appId: string,
  claimId: string,
): Promise<void> {
  await oktaRaw(
    client,
    `/api/v1/apps/${enc(appId)}/federated-claims/${enc(claimId)}`,
    `delete federated claim ${claimId} of app ${appId}`,
    { method: 'DELETE' },
  );
}
