import type { EmulatorContext } from '../context';
import { notFound, validation } from '../errors';
import { asObject, noContent, ok, type ApiRequest, type Reply } from '../http';
import { newId, nowIso } from '../ids';
import type { AppRecord, FederatedClaimRecord } from '../org/records';
import type { Route } from '../router';

/*
 * Okta's "Application SSO Federated Claims" API (Management API reference, tag ApplicationSSOFederatedClaims, GA;
 * okta/okta-sdk-dotnet `openapi3/management.yaml`): claims "included in tokens produced by federation protocols
 * (for example: OIDC `id_tokens` or SAML Assertions)", kept apart from the app object.
 * - `GET …/federated-claims` 200, a JSON array with no paging parameters; `POST` 201 with the claim;
 *   `GET …/{claimId}` 200; `PUT …/{claimId}` 201 (the spec's answer for a replace, with the claim); `DELETE` 204;
 *   404 E0000007 for an unknown app or claim; 400 E0000001 for a body without `name` or `expression`.
 * - Body `{ name, expression }`; answers `{ id (ofc…), name, expression, created, lastUpdated }` (the spec's
 *   `FederatedClaim` and its examples).
 * - Scopes `okta.apps.read` (GET) and `okta.apps.manage` (the rest): `requiredScope` in ../server.ts already maps
 *   every `/api/v1/apps…` path so.
 * - Rate limits: the apps bucket, "the `/api/v1/apps` endpoint and all other endpoints of the form
 *   `/api/v1/apps/*` including `/api/v1/apps/{id}/*`" (developer docs `rl-global-mgmt`); `bucketFor` in
 *   ../rate-limits.ts already classifies these paths so.
 * - System Log: Okta's event-type catalog (okta-developer-docs `data/event-types.json`, release 2026.08.1) has no
 *   event type of its own for federated claims. A claim is edited on the app's Sign On tab, and the catalog's
 *   `application.lifecycle.update` ("Update application") carries sign-on change details
 *   (`AppInstanceSignOnChangeDetailsEntry`), so the emulator reports each create, replace and delete as that event.
 *   This is the emulator's reading, not a documented fact (see ../README.md).
 */

const claimsOf = (app: AppRecord): FederatedClaimRecord[] => (app.federatedClaims ??= []);

const claimJson = (c: FederatedClaimRecord) => ({
  id: c.id,
  name: c.name,
  expression: c.expression,
  created: c.created,
  lastUpdated: c.lastUpdated,
});

/** `name` and `expression` of a create or replace body; the read-only fields sent along are ignored. */
function claimBody(req: ApiRequest): { name: string; expression: string } {
  const body = asObject(req.json());
  const causes: string[] = [];
  for (const field of ['name', 'expression'] as const) {
    const v = body[field];
    if (typeof v !== 'string' || v.trim() === '') causes.push(`${field}: The field cannot be left blank`);
  }
  if (causes.length > 0) throw validation(causes);
  return { name: body.name as string, expression: body.expression as string };
}

function requireClaim(app: AppRecord, claimId: string): FederatedClaimRecord {
  const claim = claimsOf(app).find((c) => c.id === claimId);
  if (!claim) throw notFound(claimId, 'FederatedClaim');
  return claim;
}

const created = (body: unknown): Reply => ({ status: 201, body });

function appOf(req: ApiRequest, { state }: EmulatorContext): AppRecord {
  return state.requireApp(req.params.appId!);
}

export const federatedClaimRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/federated-claims',
    handler: (req, ctx) => ok(claimsOf(appOf(req, ctx)).map(claimJson)),
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:appId/federated-claims',
    handler: (req, ctx) => {
      const app = appOf(req, ctx);
      const t = nowIso();
      const claim = { id: newId('ofc'), ...claimBody(req), created: t, lastUpdated: t };
      claimsOf(app).push(claim);
      ctx.state.appChanged(req.params.appId!, 'update');
      return created(claimJson(claim));
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/federated-claims/:claimId',
    handler: (req, ctx) => ok(claimJson(requireClaim(appOf(req, ctx), req.params.claimId!))),
  },
  {
    method: 'PUT',
    pattern: '/api/v1/apps/:appId/federated-claims/:claimId',
    handler: (req, ctx) => {
      const claim = requireClaim(appOf(req, ctx), req.params.claimId!);
      Object.assign(claim, claimBody(req), { lastUpdated: nowIso() });
      ctx.state.appChanged(req.params.appId!, 'update');
      return created(claimJson(claim));
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/apps/:appId/federated-claims/:claimId',
    handler: (req, ctx) => {
      const app = appOf(req, ctx);
      const claim = requireClaim(app, req.params.claimId!);
      app.federatedClaims = claimsOf(app).filter((c) => c !== claim);
      ctx.state.appChanged(req.params.appId!, 'update');
      return noContent();
    },
  },
];
