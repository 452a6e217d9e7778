import { appAssignmentId } from './ids';
import type {
  AppRecord,
  AppGroupRecord,
  AppUserRecord,
  EmulatorState,
  EventHookRecord,
  GroupRecord,
  UserRecord,
} from './state';

/** JSON shapes as Okta returns them. `base` is the org URL the client used. */

export function userJson(base: string, u: UserRecord): Record<string, unknown> {
  const self = `${base}/api/v1/users/${u.id}`;
  return {
    id: u.id,
    status: u.status,
    ...(u.transitioningToStatus ? { transitioningToStatus: u.transitioningToStatus } : {}),
    created: u.created,
    activated: u.activated,
    statusChanged: u.statusChanged,
    lastLogin: u.lastLogin,
    lastUpdated: u.lastUpdated,
    passwordChanged: u.passwordChanged,
    type: { id: 'oty1emulatordefault0' },
    profile: u.profile,
    credentials: u.masteredBy
      ? { provider: { type: 'ACTIVE_DIRECTORY', name: u.masteredBy } }
      : { provider: { type: 'OKTA', name: 'OKTA' } },
    _links: {
      self: { href: self },
      ...lifecycleLinks(self, u.status),
    },
  };
}

function lifecycleLinks(self: string, status: string): Record<string, unknown> {
  const l = (op: string) => ({ href: `${self}/lifecycle/${op}`, method: 'POST' });
  switch (status) {
    case 'STAGED':
      return { activate: l('activate'), deactivate: l('deactivate') };
    case 'PROVISIONED':
      return { reactivate: l('reactivate'), deactivate: l('deactivate') };
    case 'ACTIVE':
      return { suspend: l('suspend'), deactivate: l('deactivate') };
    case 'SUSPENDED':
      return { unsuspend: l('unsuspend'), deactivate: l('deactivate') };
    case 'LOCKED_OUT':
      return { unlock: l('unlock'), deactivate: l('deactivate') };
    case 'DEPROVISIONED':
      return { activate: l('activate') };
    default:
      return { deactivate: l('deactivate') };
  }
}

export function groupJson(base: string, g: GroupRecord): Record<string, unknown> {
  const self = `${base}/api/v1/groups/${g.id}`;
  return {
    id: g.id,
    created: g.created,
    lastUpdated: g.lastUpdated,
    lastMembershipUpdated: g.lastMembershipUpdated,
    objectClass: ['okta:user_group'],
    type: g.type,
    profile: g.profile,
    _links: {
      logo: [
        { name: 'medium', href: `${base}/assets/img/logos/groups/okta-medium.png`, type: 'image/png' },
        { name: 'large', href: `${base}/assets/img/logos/groups/okta-large.png`, type: 'image/png' },
      ],
      users: { href: `${self}/users` },
      apps: { href: `${self}/apps` },
    },
  };
}

export function appJson(base: string, app: AppRecord): Record<string, unknown> {
  const json = structuredClone(app.json);
  const id = String(json.id);
  const self = `${base}/api/v1/apps/${id}`;
  const links: Record<string, unknown> = {
    help: {
      href: `${base}/app/${String(json.name)}/${id}/setup/help/SAML_2_0/instructions`,
      type: 'text/html',
    },
    appLinks: [
      {
        name: `${String(json.name)}_link`,
        href: `${base}/home/${String(json.name)}/${id}/aln${id.slice(3)}`,
        type: 'text/html',
      },
    ],
    groups: { href: `${self}/groups` },
    logo: [{ name: 'medium', href: `${base}/assets/img/logos/default.png`, type: 'image/png' }],
    users: { href: `${self}/users` },
    deactivate: { href: `${self}/lifecycle/deactivate` },
    self: { href: self },
  };
  if (json.status === 'INACTIVE') {
    delete links.deactivate;
    links.activate = { href: `${self}/lifecycle/activate` };
  }
  // As in Okta's Apps API examples: no `kid` on the link (the preview endpoint itself needs one).
  if (json.signOnMode === 'SAML_2_0')
    links.metadata = { href: `${self}/sso/saml/metadata`, type: 'application/xml' };
  json._links = links;
  return json;
}

export function activeKid(app: AppRecord): string | undefined {
  return (app.json.credentials as { signing?: { kid?: string } } | undefined)?.signing?.kid;
}

export function appUserJson(base: string, state: EmulatorState, appId: string, au: AppUserRecord) {
  // A GROUP-held app user carries the profile of its highest-priority group and links to that group.
  const granting = state.grantingGroup(appId, au);
  return {
    id: au.id,
    externalId: null,
    created: au.created,
    lastUpdated: au.lastUpdated,
    scope: state.appUserScope(au),
    status: 'ACTIVE',
    statusChanged: au.statusChanged,
    passwordChanged: null,
    syncState: 'DISABLED',
    lastSync: null,
    credentials: { userName: au.userName },
    profile: !au.direct && granting ? structuredClone(granting.profile) : {},
    _links: {
      app: { href: `${base}/api/v1/apps/${appId}` },
      user: { href: `${base}/api/v1/users/${au.id}` },
      ...(granting
        ? {
            group: {
              name: state.groups.get(granting.id)?.profile.name,
              href: `${base}/api/v1/groups/${granting.id}`,
            },
          }
        : {}),
    },
  };
}

/** An ApplicationGroupAssignment as the Apps API returns it. */
export function appGroupJson(base: string, appId: string, g: AppGroupRecord) {
  return {
    id: g.id,
    lastUpdated: g.lastUpdated,
    priority: g.priority,
    profile: structuredClone(g.profile),
    _links: {
      app: { href: `${base}/api/v1/apps/${appId}` },
      group: { href: `${base}/api/v1/groups/${g.id}` },
    },
  };
}

/**
 * Whether the user's appLinks list the app: an app's `visibility.appLinks` names the "links or icons that appear on
 * the End-User Dashboard if they're set to true" (Apps API, Application `visibility`), so a link set to false is no
 * link of the user's and `GET /api/v1/users/{id}/appLinks` leaves it out, assigned or not. `hide.web` only marks a
 * listed link `hidden`.
 */
export function appLinkShown(app: AppRecord): boolean {
  const links = (app.json.visibility as { appLinks?: Record<string, unknown> } | undefined)?.appLinks;
  return links?.[`${String(app.json.name)}_link`] !== false;
}

export function appLinkJson(base: string, app: AppRecord, au: AppUserRecord, sortOrder: number) {
  const id = String(app.json.id);
  const name = String(app.json.name);
  return {
    id: `00a${id.slice(3)}`.slice(0, 20),
    label: app.json.label,
    linkUrl: `${base}/home/${name}/${id}/aln${id.slice(3)}`,
    logoUrl: `${base}/assets/img/logos/default.png`,
    appName: name,
    appInstanceId: id,
    appAssignmentId: appAssignmentId(id, au.id),
    credentialsSetup: false,
    hidden: Boolean((app.json.visibility as { hide?: { web?: boolean } } | undefined)?.hide?.web),
    sortOrder,
  };
}

export function eventHookJson(base: string, h: EventHookRecord): Record<string, unknown> {
  const self = `${base}/api/v1/eventHooks/${h.id}`;
  return {
    id: h.id,
    status: h.status,
    verificationStatus: h.verificationStatus,
    name: h.name,
    description: h.description ?? null,
    created: h.created,
    createdBy: h.createdBy,
    lastUpdated: h.lastUpdated,
    events: h.events,
    channel: {
      type: h.channel.type,
      version: h.channel.version,
      config: {
        uri: h.channel.config.uri,
        headers: h.channel.config.headers,
        method: 'POST',
        // The secret is write-only: Okta never returns it.
        authScheme: h.channel.config.authScheme
          ? { type: h.channel.config.authScheme.type, key: h.channel.config.authScheme.key }
          : null,
      },
    },
    _links: {
      self: { href: self, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      verify: { href: `${self}/lifecycle/verify`, hints: { allow: ['POST'] } },
      ...(h.status === 'ACTIVE'
        ? { deactivate: { href: `${self}/lifecycle/deactivate`, hints: { allow: ['POST'] } } }
        : { activate: { href: `${self}/lifecycle/activate`, hints: { allow: ['POST'] } } }),
    },
  };
}
