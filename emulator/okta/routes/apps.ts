import { signingKey } from '../certs';
import { signingWithRotation } from '../signing-rotation';
import type { EmulatorContext } from '../context';
import { OktaHttpError, notFound, validation } from '../errors';
import { matches, parseExpression } from '../filters';
import { asObject, noContent, ok, paginate, type ApiRequest } from '../http';
import { newId, nowIso } from '../ids';
import type { Route } from '../router';
import { idpMetadataXml, idpSsoUrl, validateAppBody } from '../saml';
import { idpIssuerOf } from '../sso/idp-issuer';
import { reconcileDeactivatedApp } from '../org/app-deactivation';
import { normalizeApp, type AppRecord } from '../state';
import { activeKid, appJson, appUserJson, userJson } from '../views';

/** Fields the server owns: a PUT can't change them. */
const SERVER_MANAGED = ['id', 'created', 'lastUpdated', 'status', 'name', '_links', '_embedded'] as const;

function listApps(req: ApiRequest, { state }: EmulatorContext) {
  let apps = [...state.apps.values()];
  const q = req.query.get('q')?.toLowerCase();
  if (q)
    apps = apps.filter(
      (a) =>
        String(a.json.label).toLowerCase().startsWith(q) || String(a.json.name).toLowerCase().startsWith(q),
    );
  const filter = req.query.get('filter');
  if (filter) {
    const expr = parseExpression(filter, 'filter');
    apps = apps.filter((a) =>
      matches(expr, a.json, (path, clause) => {
        const id = String(a.json.id);
        if (path === 'user.id') {
          const user = typeof clause.value === 'string' ? state.findUser(clause.value) : undefined;
          return clause.op === 'eq' && !!user && !!state.appUsers.get(id)?.has(user.id);
        }
        if (path === 'group.id')
          return (
            clause.op === 'eq' &&
            typeof clause.value === 'string' &&
            !!state.appGroups.get(id)?.has(clause.value)
          );
        return undefined;
      }),
    );
  }
  const { page, headers } = paginate(
    req,
    apps.map((a) => ({ id: String(a.json.id), a })),
    { defaultLimit: 20, maxLimit: 200 },
  );
  return ok(
    page.map((p) => appJson(req.baseUrl, p.a)),
    headers,
  );
}

async function createApp(req: ApiRequest, ctx: EmulatorContext) {
  const body = structuredClone(asObject(req.json()));
  validateAppBody(body);
  blankRelayStateIsNull(body);
  const id = newId('0oa');
  for (const f of SERVER_MANAGED) delete body[f];
  body.status = req.query.get('activate') === 'false' ? 'INACTIVE' : 'ACTIVE';
  const t = nowIso();
  body.created = t;
  body.lastUpdated = t;
  const record: AppRecord = { json: normalizeApp(body, id), kids: [], issuerId: newId('exk') };
  if (body.signOnMode === 'SAML_2_0') {
    const key = await signingKey(undefined, ctx.orgName);
    ctx.keys.set(key.kid, key);
    record.kids.push(key.kid);
    const creds = body.credentials as Record<string, unknown>;
    creds.signing = signingWithRotation(undefined, creds.signing as Record<string, unknown>, key.kid, t);
  }
  ctx.state.apps.set(id, record);
  ctx.state.appUsers.set(id, new Map());
  ctx.state.appGroups.set(id, new Map());
  ctx.state.appChanged(id, 'create');
  if (body.status === 'ACTIVE') ctx.state.appChanged(id, 'activate');
  return ok(appJson(req.baseUrl, record));
}

function replaceApp(req: ApiRequest, { state }: EmulatorContext) {
  const app = state.requireApp(req.params.appId!);
  const body = structuredClone(asObject(req.json()));
  keepSignOnUnlessAddressed(app, body);
  validateAppBody(body);
  blankRelayStateIsNull(body);
  const kept = Object.fromEntries(SERVER_MANAGED.map((f) => [f, app.json[f]]));
  const sentKid = (body.credentials as { signing?: { kid?: unknown } } | undefined)?.signing?.kid;
  if (sentKid !== undefined && sentKid !== null && !app.kids.includes(String(sentKid)))
    throw validation(['credentials.signing.kid: The signing key id is not a key of this application']);
  const next: Record<string, unknown> = { ...body, ...kept, lastUpdated: nowIso() };
  delete next._links;
  delete next._embedded;
  next.credentials ??= {};
  const creds = next.credentials as Record<string, unknown>;
  if (app.kids.length) {
    const stored = (app.json.credentials as { signing?: Record<string, unknown> } | undefined)?.signing;
    const kid = sentKid === undefined || sentKid === null ? activeKid(app) : String(sentKid);
    if (kid !== undefined)
      creds.signing = signingWithRotation(stored, creds.signing as Record<string, unknown>, kid, nowIso());
  }
  app.json = normalizeApp(next, String(app.json.id));
  state.appChanged(String(app.json.id), 'update');
  return ok(appJson(req.baseUrl, app));
}

/**
 * Okta applies a SAML app's `settings.signOn` changes only when the PUT body carries `ssoAcsUrl` or
 * `destinationOverride`; otherwise it answers 200 and keeps the stored signOn (Apps API, "Replace an application":
 * SAML signOn note; okta/okta-sdk-dotnet#731).
 */
function keepSignOnUnlessAddressed(app: AppRecord, body: Record<string, unknown>): void {
  if (app.json.signOnMode !== 'SAML_2_0') return;
  const settings = (body.settings ?? {}) as Record<string, unknown>;
  const signOn = settings.signOn as Record<string, unknown> | undefined;
  const addressed =
    signOn !== undefined &&
    signOn !== null &&
    ((signOn.ssoAcsUrl !== undefined && signOn.ssoAcsUrl !== null && signOn.ssoAcsUrl !== '') ||
      (signOn.destinationOverride !== undefined && signOn.destinationOverride !== null));
  if (addressed) return;
  const stored = (app.json.settings as { signOn?: unknown } | undefined)?.signOn;
  body.settings = { ...settings, signOn: structuredClone(stored) };
}

/**
 * A blank `settings.signOn.defaultRelayState` is stored as null: Okta answers `null` for a SAML app created or
 * replaced with `""` (the SDK's own integration test of a created SAML app expects null).
 */
function blankRelayStateIsNull(body: Record<string, unknown>): void {
  const signOn = (body.settings as { signOn?: Record<string, unknown> } | undefined)?.signOn;
  if (signOn && typeof signOn === 'object' && signOn.defaultRelayState === '')
    signOn.defaultRelayState = null;
}

function setAppStatus(req: ApiRequest, { state }: EmulatorContext, status: 'ACTIVE' | 'INACTIVE') {
  const app = state.requireApp(req.params.appId!);
  if (app.json.status !== status) {
    app.json.status = status;
    app.json.lastUpdated = nowIso();
    state.appChanged(String(app.json.id), status === 'ACTIVE' ? 'activate' : 'deactivate');
    if (status === 'INACTIVE') reconcileDeactivatedApp(state, String(app.json.id));
  }
  return ok({});
}

export const appRoutes: Route[] = [
  { method: 'GET', pattern: '/api/v1/apps', handler: listApps },
  { method: 'POST', pattern: '/api/v1/apps', handler: createApp },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId',
    handler: (req, { state }) => ok(appJson(req.baseUrl, state.requireApp(req.params.appId!))),
  },
  { method: 'PUT', pattern: '/api/v1/apps/:appId', handler: replaceApp },
  {
    method: 'DELETE',
    pattern: '/api/v1/apps/:appId',
    handler: (req, { state }) => {
      const app = state.requireApp(req.params.appId!);
      if (app.json.status !== 'INACTIVE')
        throw new OktaHttpError(403, 'E0000056', 'Delete application forbidden.', [
          'The application must be deactivated before deletion.',
        ]);
      state.appChanged(String(app.json.id), 'delete');
      state.apps.delete(String(app.json.id));
      state.appUsers.delete(String(app.json.id));
      state.appGroups.delete(String(app.json.id));
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:appId/lifecycle/activate',
    handler: (req, ctx) => setAppStatus(req, ctx, 'ACTIVE'),
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:appId/lifecycle/deactivate',
    handler: (req, ctx) => setAppStatus(req, ctx, 'INACTIVE'),
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/users',
    handler: (req, { state }) => {
      const appId = req.params.appId!;
      state.requireApp(appId);
      let users = [...state.appUsers.get(appId)!.values()];
      const q = req.query.get('q')?.toLowerCase();
      if (q) {
        // Okta matches the start of userName, firstName, lastName and email.
        users = users.filter((au) => {
          const profile = state.users.get(au.id)?.profile ?? {};
          return [au.userName, profile.firstName, profile.lastName, profile.email].some((v) =>
            String(v ?? '')
              .toLowerCase()
              .startsWith(q),
          );
        });
      }
      const { page, headers } = paginate(req, users, { defaultLimit: 50, maxLimit: 500 });
      const expandUser = req.query.get('expand') === 'user';
      return ok(
        page.map((au) => {
          const json: Record<string, unknown> = appUserJson(req.baseUrl, state, appId, au);
          const user = state.users.get(au.id);
          if (expandUser && user) json._embedded = { user: userJson(req.baseUrl, user) };
          return json;
        }),
        headers,
      );
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:appId/users',
    handler: (req, { state }) => {
      const appId = req.params.appId!;
      state.requireApp(appId);
      const body = asObject(req.json());
      if (typeof body.id !== 'string' || body.id === '')
        throw validation(['id: The field cannot be left blank']);
      const creds =
        body.credentials === undefined || body.credentials === null ? {} : asObject(body.credentials);
      const userName = creds.userName;
      if (userName !== undefined && (typeof userName !== 'string' || userName.length === 0))
        throw validation(['userName: The field cannot be left blank']);
      const { appUser } = state.assignUser(appId, body.id, userName as string | undefined);
      return ok(appUserJson(req.baseUrl, state, appId, appUser));
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/users/:userId',
    handler: (req, { state }) => {
      const appId = req.params.appId!;
      state.requireApp(appId);
      const user = state.findUser(req.params.userId!);
      const au = user && state.appUsers.get(appId)!.get(user.id);
      if (!au) throw notFound(req.params.userId!, 'AppUser');
      return ok(appUserJson(req.baseUrl, state, appId, au));
    },
  },
  {
    // Okta Application Users API, "Update an application user" (credentials.userName here).
    method: 'POST',
    pattern: '/api/v1/apps/:appId/users/:userId',
    handler: (req, { state }) => {
      const appId = req.params.appId!;
      const creds = asObject(asObject(req.json()).credentials ?? {});
      const userName = creds.userName;
      if (typeof userName !== 'string' || userName === '')
        throw validation(['userName: The field cannot be left blank']);
      const au = state.updateAppUserName(appId, req.params.userId!, userName);
      return ok(appUserJson(req.baseUrl, state, appId, au));
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/apps/:appId/users/:userId',
    handler: (req, { state }) => {
      state.unassignUser(req.params.appId!, req.params.userId!);
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/sso/saml/metadata',
    handler: (req, { state, keys }) => {
      const app = state.requireApp(req.params.appId!);
      if (app.json.signOnMode !== 'SAML_2_0') throw notFound(req.params.appId!, 'SAML metadata');
      // Apps API "Preview the SAML metadata for an app": `kid` is a required query parameter (the SDK generated
      // from Okta's spec refuses to call without it). What Okta answers without one is undocumented: a 400 here.
      const kid = req.query.get('kid');
      if (!kid) throw validation(['kid: The field cannot be left blank']);
      const key = app.kids.includes(kid) ? keys.get(kid) : undefined;
      if (!key) throw notFound(kid, 'AppInstanceKeyCredential');
      const signOn = (app.json.settings as { signOn?: { subjectNameIdFormat?: string } }).signOn;
      const xml = idpMetadataXml({
        // The app's IdP issuer, as its Responses carry it (../sso/idp-issuer.ts).
        entityId: idpIssuerOf(app),
        ssoUrl: idpSsoUrl(req.baseUrl, String(app.json.name), app.issuerId),
        certBase64: key.certBase64,
        nameIdFormats: [
          signOn?.subjectNameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        ],
      });
      return { status: 200, text: xml, contentType: 'text/xml;charset=utf-8' };
    },
  },
];
