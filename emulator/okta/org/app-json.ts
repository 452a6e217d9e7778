import { nowIso } from '../ids';

/** Fills in what Okta always has on an app, so seeds and clients can send less. */
export function normalizeApp(app: Record<string, unknown>, id: string): Record<string, unknown> {
  const t = nowIso();
  delete app._links;
  delete app._embedded;
  app.id = id;
  app.created ??= t;
  app.lastUpdated ??= t;
  app.status ??= 'ACTIVE';
  app.features ??= [];
  app.accessibility ??= { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null };
  app.visibility ??= {
    autoLaunch: false,
    autoSubmitToolbar: false,
    hide: { iOS: false, web: false },
    appLinks: {},
  };
  app.credentials ??= {};
  const creds = app.credentials as Record<string, unknown>;
  creds.userNameTemplate ??= { template: '${source.login}', type: 'BUILT_IN' };
  app.settings ??= {};
  const settings = app.settings as Record<string, unknown>;
  settings.app ??= {};
  settings.notifications ??= { vpn: { network: { connection: 'DISABLED' }, message: null, helpUrl: null } };
  settings.manualProvisioning ??= false;
  settings.implicitAssignment ??= false;
  settings.notes ??= { admin: null, enduser: null };
  if (app.name === undefined) {
    const slug =
      String(app.label ?? 'app')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '')
        .slice(0, 40) || 'app';
    app.name = `emulator_${slug}_1`;
  }
  const visibility = app.visibility as { appLinks?: Record<string, boolean> };
  if (visibility.appLinks && Object.keys(visibility.appLinks).length === 0 && app.signOnMode === 'SAML_2_0')
    visibility.appLinks[`${String(app.name)}_link`] = true;
  return app;
}
