import type { EmulatorContext } from '../context';
import { notFound, validation } from '../errors';
import { asObject, ok, type ApiRequest } from '../http';
import { mergeRateLimits } from '../rate-limits';
import type { Route } from '../router';

/**
 * The id of the emulator's one API token, as `GET /api/v1/api-tokens/current` names it (API Tokens API, "Retrieve
 * the current API token's metadata"): the principal whose share the Principal Rate Limits API sets for `SSWS`.
 */
export const EMULATOR_API_TOKEN_ID = '00Temulatorapitoken1';

interface Entity {
  id: string;
  principalId: string;
  principalType: 'SSWS_TOKEN' | 'OAUTH_CLIENT';
  /** The rate limiter's key for the credential: `SSWS` or the client id. */
  credential: string;
}

/** One entity per credential the org knows: the API token and every OAuth service app. */
function entities(ctx: EmulatorContext): Entity[] {
  const token: Entity = {
    id: '0prssws0000000000001',
    principalId: EMULATOR_API_TOKEN_ID,
    principalType: 'SSWS_TOKEN',
    credential: 'SSWS',
  };
  const clients = [...ctx.state.serviceApps.keys()].map((clientId, i): Entity => ({
    id: `0proauth${String(i + 1).padStart(12, '0')}`,
    principalId: clientId,
    principalType: 'OAUTH_CLIENT',
    credential: clientId,
  }));
  return [token, ...clients];
}

function entityJson(ctx: EmulatorContext, e: Entity): Record<string, unknown> {
  const settings = ctx.rateLimiter?.settings;
  const share = settings?.credentialShares[e.credential] ?? settings?.credentialShare ?? 50;
  return {
    id: e.id,
    orgId: '00oemulatororg000001',
    principalId: e.principalId,
    principalType: e.principalType,
    defaultPercentage: Math.min(100, share),
    defaultConcurrencyPercentage: 50,
    createdBy: ctx.state.adminId,
    createdDate: '2024-01-01T00:00:00.000Z',
    lastUpdate: '2024-01-01T00:00:00.000Z',
    lastUpdatedBy: ctx.state.adminId,
  };
}

function requireEntity(ctx: EmulatorContext, id: string): Entity {
  const e = entities(ctx).find((x) => x.id === id);
  if (!e) throw notFound(id, 'PrincipalRateLimitEntity');
  return e;
}

/**
 * Principal Rate Limits API (`/api/v1/principal-rate-limits`, scope `okta.principalRateLimits.read|manage`): the
 * share of the org's rate limits one API token or OAuth 2.0 app may use (`defaultPercentage`; Okta's default 50%,
 * developer docs `rl2-token-oauth`). The list needs `filter=principalType eq "SSWS_TOKEN"` (or `"OAUTH_CLIENT"`);
 * a PUT changes the share the emulator's rate limiter applies from the next request on.
 */
export const principalRateLimitRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/principal-rate-limits',
    handler: (req: ApiRequest, ctx) => {
      const m = /^\s*principalType\s+eq\s+"(SSWS_TOKEN|OAUTH_CLIENT)"\s*$/.exec(
        req.query.get('filter') ?? '',
      );
      if (!m) throw validation(['filter: principalType eq "SSWS_TOKEN" or "OAUTH_CLIENT" is required']);
      return ok(
        entities(ctx)
          .filter((e) => e.principalType === m[1])
          .map((e) => entityJson(ctx, e)),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/principal-rate-limits/:id',
    handler: (req, ctx) => ok(entityJson(ctx, requireEntity(ctx, req.params.id!))),
  },
  {
    method: 'PUT',
    pattern: '/api/v1/principal-rate-limits/:id',
    handler: (req, ctx) => {
      const e = requireEntity(ctx, req.params.id!);
      const body = asObject(req.json());
      const pct = body.defaultPercentage;
      if (typeof pct !== 'number' || pct < 0 || pct > 100)
        throw validation(['defaultPercentage: must be a number from 0 to 100']);
      if (ctx.rateLimiter)
        ctx.rateLimiter.settings = mergeRateLimits(ctx.rateLimiter.settings, {
          credentialShares: { [e.credential]: pct },
        });
      return ok(entityJson(ctx, e));
    },
  },
  {
    // API Tokens API: the metadata of the token making the call (SSWS only).
    method: 'GET',
    pattern: '/api/v1/api-tokens/current',
    handler: (req, ctx) => {
      const scheme = String(req.headers.authorization ?? '')
        .split(' ')[0]
        ?.toUpperCase();
      if (scheme !== 'SSWS') throw notFound('current', 'ApiToken');
      return ok({
        id: EMULATOR_API_TOKEN_ID,
        name: 'emulator token',
        userId: ctx.state.adminId,
        clientName: 'Okta API',
        tokenWindow: 'P30D',
        network: { connection: 'ANYWHERE' },
        created: '2024-01-01T00:00:00.000Z',
        lastUpdated: '2024-01-01T00:00:00.000Z',
        expiresAt: '2099-01-01T00:00:00.000Z',
      });
    },
  },
];
