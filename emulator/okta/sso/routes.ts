import { asObject, ok, type Reply } from '../http';
import type { Route } from '../router';
import { escapeXml } from '../saml';
import { SsoRefusedError } from './errors';
import { appForSsoUrl, issueSamlResponse, type IssuedSamlResponse } from './issue';

const html = (status: number, title: string, body: string): Reply => ({
  status,
  text:
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeXml(title)}</title></head>` +
    `<body><h1>${escapeXml(title)}</h1><p>${escapeXml(body)}</p></body></html>`,
  contentType: 'text/html;charset=utf-8',
});

/**
 * The SAML HTTP-POST binding's self-submitting form (SAML 2.0 Bindings, 3.5.4): `SAMLResponse` and, when the app
 * has a default RelayState, `RelayState`, posted to the app's ACS URL.
 */
export function autoPostForm(r: Pick<IssuedSamlResponse, 'acsUrl' | 'samlResponse' | 'relayState'>): string {
  const relay =
    r.relayState === null
      ? ''
      : `<input name="RelayState" type="hidden" value="${escapeXml(r.relayState)}"/>`;
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing in…</title></head>` +
    `<body onload="document.getElementById('appForm').submit()">` +
    `<form id="appForm" action="${escapeXml(r.acsUrl)}" method="POST">` +
    `<input name="SAMLResponse" type="hidden" value="${escapeXml(r.samlResponse)}"/>${relay}` +
    `<noscript><button type="submit">Continue</button></noscript></form></body></html>`
  );
}

/**
 * `GET /app/<app name>/<entity key>/sso/saml`: Okta's IdP-initiated sign-in URL (the app metadata's
 * `SingleSignOnService`). A browser session picks the user in Okta; here the `userId` query (id or login) stands in
 * for it. The answer is the auto-post form, or Okta's kind of error page when it signs no one in.
 */
export const ssoBrowserRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/app/:appName/:entityKey/sso/saml',
    handler: async (req, ctx) => {
      const app = appForSsoUrl(ctx, req.params.appName!, req.params.entityKey!);
      if (!app) return html(404, 'Not Found', 'No app integration answers at this address.');
      const userId = req.query.get('userId');
      if (!userId)
        return html(
          401,
          'No Okta session',
          'The emulator has no sign-in page: add ?userId=<user id or login> to sign in as that user.',
        );
      try {
        return {
          status: 200,
          text: autoPostForm(await issueSamlResponse(ctx, String(app.json.id), userId)),
          contentType: 'text/html;charset=utf-8',
        };
      } catch (err) {
        if (err instanceof SsoRefusedError) return html(err.status, 'Sign-in refused', err.reason);
        throw err;
      }
    },
  },
];

/**
 * `POST /__emulator/sso/{appId}` `{ "userId" }`: the same sign-in for tests and the demo, answering
 * `{ acsUrl, samlResponse, relayState }`, or `{ reason, code }` with 403 when Okta (or the emulator) refuses, 404
 * for an unknown app or user, 400 without a `userId`.
 */
export const ssoControlRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/__emulator/sso/:appId',
    handler: async (req, ctx) => {
      const { userId } = asObject(req.json());
      if (typeof userId !== 'string' || userId === '')
        return {
          status: 400,
          body: { reason: 'userId: the id or login of the user signing in is required' },
        };
      try {
        const r = await issueSamlResponse(ctx, req.params.appId!, userId);
        return ok({ acsUrl: r.acsUrl, samlResponse: r.samlResponse, relayState: r.relayState });
      } catch (err) {
        if (err instanceof SsoRefusedError)
          return { status: err.status, body: { reason: err.reason, code: err.code } };
        throw err;
      }
    },
  },
];
