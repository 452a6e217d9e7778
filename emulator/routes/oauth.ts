import { createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import type { Reply } from '../http';
import type { Route } from '../router';

const ACCESS_TOKEN_TTL_S = 3600;
const ALGS: Record<string, { hash: string; dsa?: boolean }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', dsa: true },
  ES384: { hash: 'sha384', dsa: true },
  ES512: { hash: 'sha512', dsa: true },
};

const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  body: { error, error_description: description },
});

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The org authorization server's token endpoint for OAuth 2.0 service apps: client_credentials with a
 * private_key_jwt client assertion, checked against the public JWK registered for the client. The SDK also sends a
 * DPoP proof; like an Okta app that doesn't require DPoP, the emulator ignores it and issues a Bearer token.
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
      const [h, p, s] = assertion.split('.');
      const header = decodePart(h);
      const claims = decodePart(p);
      if (!header || !claims || !s)
        return oauthError(401, 'invalid_client', 'The client_assertion is malformed.');
      const clientId = String(claims.iss ?? '');
      const client = ctx.state.serviceApps.get(clientId);
      if (!client || claims.sub !== clientId || (form.has('client_id') && form.get('client_id') !== clientId))
        return oauthError(401, 'invalid_client', 'The client_id is not valid.');
      const alg = ALGS[String(header.alg)];
      if (!alg)
        return oauthError(
          401,
          'invalid_client',
          'The client_assertion signature algorithm is not supported.',
        );
      const kid = client.publicJwk.kid;
      if (kid !== undefined && header.kid !== undefined && header.kid !== kid)
        return oauthError(401, 'invalid_client', 'The client_assertion kid does not match a registered key.');
      let valid: boolean;
      try {
        const key = createPublicKey({ key: client.publicJwk as JsonWebKey, format: 'jwk' });
        valid = verify(
          alg.hash,
          Buffer.from(`${h}.${p}`),
          alg.dsa ? { key, dsaEncoding: 'ieee-p1363' } : key,
          Buffer.from(s, 'base64url'),
        );
      } catch {
        valid = false;
      }
      if (!valid) return oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.');
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp !== 'number' || claims.exp < now)
        return oauthError(401, 'invalid_client', 'The client_assertion token is expired.');
      if (typeof claims.iat === 'number' && claims.iat > now + 300)
        return oauthError(401, 'invalid_client', 'The client_assertion token was issued in the future.');
      if (claims.aud !== `${req.baseUrl}/oauth2/v1/token`)
        return oauthError(
          401,
          'invalid_client',
          'The audience claim for client_assertion must be the endpoint invoked for the request.',
        );
      const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
      if (!requested.length)
        return oauthError(400, 'invalid_scope', 'The authorization server requires a scope.');
      const missing = requested.filter((sc) => !client.scopes.includes(sc));
      if (missing.length)
        return oauthError(400, 'invalid_scope', `The following scopes are not granted: ${missing.join(' ')}`);
      const token = randomBytes(32).toString('base64url');
      ctx.accessTokens.set(token, {
        clientId,
        scopes: requested,
        expiresAt: Date.now() + ACCESS_TOKEN_TTL_S * 1000,
      });
      return {
        status: 200,
        body: {
          token_type: 'Bearer',
          expires_in: ACCESS_TOKEN_TTL_S,
          access_token: token,
          scope: requested.join(' '),
        },
      };
    },
  },
];
