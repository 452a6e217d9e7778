import { randomBytes } from 'node:crypto';
import { checkDpopProof } from '../dpop';
import type { Reply } from '../http';
import { decodeJws, verifyJws } from '../jws';
import type { Route } from '../router';

const ACCESS_TOKEN_TTL_S = 3600;

/** Okta asks for a fresh nonce now and then; one per emulator process is enough for clients to prove they handle it. */
export const DPOP_NONCE = randomBytes(16).toString('base64url');

const oauthError = (
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
): Reply => ({
  status,
  body: { error, error_description: description },
  ...(headers ? { headers } : {}),
});

/**
 * The org authorization server's token endpoint for OAuth 2.0 service apps: client_credentials with a
 * private_key_jwt client assertion, checked against the public JWK registered for the client. The SDK always sends a
 * DPoP proof: for apps that don't require DPoP it is ignored and a Bearer token issued; for apps that do
 * (`requireDpop`), the first answer is `use_dpop_nonce` with a `DPoP-Nonce` header, then the proof is checked and a
 * DPoP-bound token issued.
 */
export const oauthRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/oauth2/v1/token',
    handler: (req, ctx) => {
      const form = new URLSearchParams(req.rawBody);
      if (form.get('grant_type') !== 'client_credentials')
        return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        return oauthError(401, 'invalid_client', 'A client_assertion of type jwt-bearer is required.');
      const assertion = form.get('client_assertion') ?? '';
      const jws = decodeJws(assertion);
      if (!jws) return oauthError(401, 'invalid_client', 'The client_assertion is malformed.');
      const { header, payload: claims } = jws;
      const clientId = String(claims.iss ?? '');
      const client = ctx.state.serviceApps.get(clientId);
      if (!client || claims.sub !== clientId || (form.has('client_id') && form.get('client_id') !== clientId))
        return oauthError(401, 'invalid_client', 'The client_id is not valid.');
      const kid = client.publicJwk.kid;
      if (kid !== undefined && header.kid !== undefined && header.kid !== kid)
        return oauthError(401, 'invalid_client', 'The client_assertion kid does not match a registered key.');
      if (!verifyJws(jws, client.publicJwk))
        return oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.');
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp !== 'number' || claims.exp < now)
        return oauthError(401, 'invalid_client', 'The client_assertion token is expired.');
      // Okta: exp "must be a maximum of only an hour in the future".
      if (claims.exp > now + 3600)
        return oauthError(
          401,
          'invalid_client',
          'The client_assertion token has an expiration too far in the future.',
        );
      if (typeof claims.iat === 'number' && claims.iat > now + 300)
        return oauthError(401, 'invalid_client', 'The client_assertion token was issued in the future.');
      if (claims.aud !== `${req.baseUrl}/oauth2/v1/token`)
        return oauthError(
          401,
          'invalid_client',
          'The audience claim for client_assertion must be the endpoint invoked for the request.',
        );
      // Okta uses jti to refuse a replayed assertion.
      const assertionId = typeof claims.jti === 'string' ? `${clientId} ${claims.jti}` : undefined;
      for (const [id, exp] of ctx.usedAssertions) if (exp < now * 1000) ctx.usedAssertions.delete(id);
      if (assertionId && ctx.usedAssertions.has(assertionId))
        return oauthError(401, 'invalid_client', 'The client_assertion token has already been used.');
      const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
      if (!requested.length)
        return oauthError(400, 'invalid_scope', 'The authorization server requires a scope.');
      const missing = requested.filter((sc) => !client.scopes.includes(sc));
      if (missing.length)
        return oauthError(400, 'invalid_scope', `The following scopes are not granted: ${missing.join(' ')}`);
      let jkt: string | undefined;
      if (client.requireDpop) {
        const proof = req.headers.dpop;
        const dpop = checkDpopProof({
          proof: Array.isArray(proof) ? proof[0] : proof,
          method: 'POST',
          url: `${req.baseUrl}/oauth2/v1/token`,
          nonce: DPOP_NONCE,
        });
        if (!dpop.ok) {
          return dpop.needNonce
            ? oauthError(400, 'use_dpop_nonce', dpop.error, { 'dpop-nonce': DPOP_NONCE })
            : oauthError(400, 'invalid_dpop_proof', dpop.error);
        }
        jkt = dpop.jkt;
      }
      if (assertionId) ctx.usedAssertions.set(assertionId, claims.exp * 1000);
      const token = randomBytes(32).toString('base64url');
      ctx.accessTokens.set(token, {
        clientId,
        scopes: requested,
        expiresAt: Date.now() + ACCESS_TOKEN_TTL_S * 1000,
        ...(jkt ? { jkt } : {}),
      });
      return {
        status: 200,
        body: {
          token_type: jkt ? 'DPoP' : 'Bearer',
          expires_in: ACCESS_TOKEN_TTL_S,
          access_token: token,
          scope: requested.join(' '),
        },
      };
    },
  },
];
