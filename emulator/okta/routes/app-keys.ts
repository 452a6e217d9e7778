import { signingKey, toJwk } from '../certs';
import { OktaHttpError, notFound } from '../errors';
import { ok } from '../http';
import type { Route } from '../router';

/**
 * An app's signing keys (Apps API, "Application key credentials"): list, read, generate. A generated key is
 * inactive until a PUT of the app names it in `credentials.signing.kid` (./apps.ts keeps the signing object).
 */
export const appKeyRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/credentials/keys',
    handler: (req, { state, keys }) => {
      const app = state.requireApp(req.params.appId!);
      return ok(
        app.kids
          .map((kid) => keys.get(kid))
          .filter((k) => k !== undefined)
          .map(toJwk),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/credentials/keys/:kid',
    handler: (req, { state, keys }) => {
      const app = state.requireApp(req.params.appId!);
      const key = app.kids.includes(req.params.kid!) ? keys.get(req.params.kid!) : undefined;
      if (!key) throw notFound(req.params.kid!, 'AppInstanceKeyCredential');
      return ok(toJwk(key));
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:appId/credentials/keys/generate',
    handler: async (req, ctx) => {
      const app = ctx.state.requireApp(req.params.appId!);
      // Okta's "Generate a key credential": `validityYears` is required; outside 2–10 it answers 400 E0000001
      // "Api validation failed: generateKey", cause "Validity years out of range. It should be 2 - 10 years."
      // (Management API, ErrorKeyCredentialInvalidValidity). The new key is inactive until a PUT of the app names it.
      const text = req.query.get('validityYears') ?? '';
      const years = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(years >= 2 && years <= 10))
        throw new OktaHttpError(400, 'E0000001', 'Api validation failed: generateKey', [
          'Validity years out of range. It should be 2 - 10 years.',
        ]);
      const key = await signingKey(undefined, ctx.orgName, years);
      ctx.keys.set(key.kid, key);
      app.kids.push(key.kid);
      return { status: 201, body: toJwk(key) };
    },
  },
];
