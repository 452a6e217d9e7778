import { OktaHttpError, masteredElsewhere, notFound, validation } from './errors';
import type { ChangeEvent, EventTarget } from './events';
import { appAssignmentId, newId, nowIso } from './ids';
import type { SeedData, SeedServiceApp, SeedUser, UserStatus } from './types';

export interface UserRecord {
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  profile: Record<string, unknown>;
  masteredBy?: string;
}

export interface GroupRecord {
  id: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  type: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
  profile: { name: string; description: string | null };
}

export interface AppUserRecord {
  id: string;
  created: string;
  lastUpdated: string;
  statusChanged: string;
  userName: string;
  /** Assigned directly (scope USER). */
  direct: boolean;
  /** Groups through which the user is assigned. */
  viaGroups: Set<string>;
}

export interface AppRecord {
  /** The app's JSON as last written, without `_links`; `credentials.signing.kid` is kept current. */
  json: Record<string, unknown>;
  /** Ids of the app's signing keys (kids), oldest first. */
  kids: string[];
  /** The SAML issuer id (`exk…`): entityID `http://www.okta.com/exk…`. */
  issuerId: string;
}

export interface AppGroupRecord {
  id: string;
  priority: number;
  lastUpdated: string;
}

export interface EventHookRecord {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  verificationStatus: 'UNVERIFIED' | 'VERIFIED';
  events: { type: 'EVENT_TYPE'; items: string[]; filter?: unknown };
  channel: {
    type: 'HTTP';
    version: string;
    config: {
      uri: string;
      headers: { key: string; value: string }[];
      authScheme: { type: 'HEADER'; key: string; value: string } | null;
      method?: string;
    };
  };
  created: string;
  lastUpdated: string;
  createdBy: string;
  description?: string | null;
}

const REQUIRED_PROFILE = ['login', 'email', 'firstName', 'lastName'] as const;

/**
 * The org's data and every rule that changes it. Routes translate HTTP to these calls; each change reports
 * System Log-shaped events to `onChange`.
 */
export class EmulatorState {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly members = new Map<string, Set<string>>();
  readonly apps = new Map<string, AppRecord>();
  readonly appUsers = new Map<string, Map<string, AppUserRecord>>();
  readonly appGroups = new Map<string, Map<string, AppGroupRecord>>();
  readonly eventHooks = new Map<string, EventHookRecord>();
  readonly serviceApps = new Map<string, SeedServiceApp>();
  adminId = '';

  constructor(private readonly onChange: (event: ChangeEvent) => void = () => {}) {}

  // ---- loading ------------------------------------------------------------------------------------------------

  /** Replaces all data with the seed. App signing keys are attached by the caller (they are made asynchronously). */
  load(seed: SeedData): void {
    for (const m of [
      this.users,
      this.groups,
      this.members,
      this.apps,
      this.appUsers,
      this.appGroups,
      this.eventHooks,
    ])
      m.clear();
    this.serviceApps.clear();
    const admin = seed.admin ?? {
      id: '00uemulatoradmin0001',
      profile: {
        login: 'admin@example.com',
        email: 'admin@example.com',
        firstName: 'Emulator',
        lastName: 'Admin',
      },
    };
    for (const u of [admin, ...(seed.users ?? [])]) this.users.set(u.id, userFromSeed(u));
    this.adminId = admin.id;
    for (const g of seed.groups ?? []) {
      const t = nowIso();
      this.groups.set(g.id, {
        id: g.id,
        created: t,
        lastUpdated: t,
        lastMembershipUpdated: t,
        type: g.type ?? 'OKTA_GROUP',
        profile: { name: g.name, description: g.description ?? null },
      });
      this.members.set(g.id, new Set());
    }
    for (const [gid, uids] of Object.entries(seed.memberships ?? {})) {
      const set = this.members.get(gid);
      if (!set) throw new Error(`seed: membership for unknown group ${gid}`);
      for (const uid of uids) {
        if (!this.users.has(uid)) throw new Error(`seed: membership of unknown user ${uid} in ${gid}`);
        set.add(uid);
      }
    }
    for (const app of seed.apps ?? []) {
      const id = app.id;
      if (typeof id !== 'string') throw new Error('seed: every app needs an id');
      const kid = (app.credentials as { signing?: { kid?: string } } | undefined)?.signing?.kid;
      this.apps.set(id, {
        json: normalizeApp(structuredClone(app), id),
        kids: kid ? [kid] : [],
        issuerId: `exk${id.slice(3)}`,
      });
      this.appUsers.set(id, new Map());
      this.appGroups.set(id, new Map());
    }
    for (const au of seed.appUsers ?? []) {
      const user = this.requireUser(au.userId);
      this.requireApp(au.appId);
      const t = nowIso();
      this.appUsers.get(au.appId)!.set(user.id, {
        id: user.id,
        created: t,
        lastUpdated: t,
        statusChanged: t,
        userName: au.userName ?? this.defaultUserName(au.appId, user),
        direct: true,
        viaGroups: new Set(),
      });
    }
    for (const ag of seed.appGroups ?? []) this.assignGroup(ag.appId, ag.groupId, ag.priority, false);
    for (const s of seed.serviceApps ?? []) this.serviceApps.set(s.clientId, s);
  }

  // ---- users --------------------------------------------------------------------------------------------------

  /** By id or login (case-insensitive), as Okta resolves `{id}` in user paths. */
  findUser(idOrLogin: string): UserRecord | undefined {
    // `me` is the caller; for the emulator that is the admin the SSWS token belongs to.
    if (idOrLogin === 'me') return this.users.get(this.adminId);
    const byId = this.users.get(idOrLogin);
    if (byId) return byId;
    const wanted = idOrLogin.toLowerCase();
    for (const u of this.users.values()) if (String(u.profile.login).toLowerCase() === wanted) return u;
    return undefined;
  }

  requireUser(idOrLogin: string): UserRecord {
    const u = this.findUser(idOrLogin);
    if (!u) throw notFound(idOrLogin, 'User');
    return u;
  }

  /** POST /api/v1/users: STAGED, or with `activate` PROVISIONED (ACTIVE when a password is set). */
  createUser(
    profile: Record<string, unknown>,
    opts: { activate: boolean; hasPassword: boolean; groupIds: string[] },
  ): UserRecord {
    const causes = REQUIRED_PROFILE.filter((k) => typeof profile[k] !== 'string' || profile[k] === '').map(
      (k) => `${k}: The field cannot be left blank`,
    );
    if (causes.length) throw validation(causes);
    if (this.findUser(String(profile.login)))
      throw validation(['login: An object with this field already exists in the current organization']);
    for (const gid of opts.groupIds) this.requireGroup(gid);
    const t = nowIso();
    const status: UserStatus = !opts.activate ? 'STAGED' : opts.hasPassword ? 'ACTIVE' : 'PROVISIONED';
    const user: UserRecord = {
      id: newId('00u'),
      status,
      created: t,
      activated: opts.activate ? t : null,
      statusChanged: opts.activate ? t : null,
      lastLogin: null,
      lastUpdated: t,
      passwordChanged: opts.hasPassword ? t : null,
      profile: structuredClone(profile),
    };
    this.users.set(user.id, user);
    this.onChange({
      eventType: 'user.lifecycle.create',
      displayMessage: 'Create Okta user',
      legacyEventType: 'core.user.config.user_creation.success',
      targets: [this.userTarget(user)],
    });
    if (opts.activate) {
      this.onChange({
        eventType: 'user.lifecycle.activate',
        displayMessage: 'Activate Okta user',
        legacyEventType: 'core.user.config.user_activated',
        targets: [this.userTarget(user)],
      });
    }
    for (const gid of opts.groupIds) {
      if (this.groups.get(gid)?.type === 'OKTA_GROUP') this.addMember(gid, user.id);
    }
    return user;
  }

  createGroup(profile: { name?: unknown; description?: unknown }): GroupRecord {
    if (typeof profile.name !== 'string' || profile.name.trim() === '')
      throw validation(['name: The field cannot be left blank']);
    if ([...this.groups.values()].some((g) => g.type === 'OKTA_GROUP' && g.profile.name === profile.name))
      throw validation(['name: An object with this field already exists in the current organization']);
    const t = nowIso();
    const group: GroupRecord = {
      id: newId('00g'),
      created: t,
      lastUpdated: t,
      lastMembershipUpdated: t,
      type: 'OKTA_GROUP',
      profile: {
        name: profile.name,
        description: typeof profile.description === 'string' ? profile.description : null,
      },
    };
    this.groups.set(group.id, group);
    this.members.set(group.id, new Set());
    this.onChange({
      eventType: 'group.lifecycle.create',
      displayMessage: 'Create Okta group',
      legacyEventType: 'core.user_group.created',
      targets: [this.groupTarget(group)],
    });
    return group;
  }

  /** POST semantics: merges the given attributes into the profile; null removes an attribute's value. */
  updateProfile(idOrLogin: string, patch: Record<string, unknown>, replace: boolean): UserRecord {
    const user = this.requireUser(idOrLogin);
    if (user.masteredBy) throw masteredElsewhere(user.masteredBy);
    const next = replace ? { ...patch } : { ...user.profile, ...patch };
    const causes = REQUIRED_PROFILE.filter((k) => typeof next[k] !== 'string' || next[k] === '').map(
      (k) => `${k}: The field cannot be left blank`,
    );
    if (causes.length) throw validation(causes);
    const login = String(next.login);
    const clash = this.findUser(login);
    if (clash && clash.id !== user.id)
      throw validation(['login: An object with this field already exists in the current organization']);
    for (const [k, v] of Object.entries(next)) if (v === undefined) delete next[k];
    const changed = [...new Set([...Object.keys(next), ...Object.keys(user.profile)])].filter(
      (k) => JSON.stringify(next[k] ?? null) !== JSON.stringify(user.profile[k] ?? null),
    );
    user.profile = next;
    user.lastUpdated = nowIso();
    if (changed.length) {
      this.onChange({
        eventType: 'user.account.update_profile',
        displayMessage: 'Update user profile for Okta',
        legacyEventType: 'core.user.config.profile_update.success',
        targets: [this.userTarget(user)],
        debugData: { changedAttributes: changed.join(',') },
      });
    }
    return user;
  }

  /** Okta's lifecycle transitions; invalid ones answer as Okta does. */
  lifecycle(idOrLogin: string, op: string): UserRecord {
    const user = this.requireUser(idOrLogin);
    const from = user.status;
    const fail = (status: number, code: string, summary: string, causes: string[] = []) => {
      throw new OktaHttpError(status, code, summary, causes);
    };
    let to: UserStatus;
    switch (op) {
      case 'activate':
        if (from !== 'STAGED' && from !== 'DEPROVISIONED')
          fail(403, 'E0000016', 'Activation failed because the user is already active');
        // Okta: a user created with a password becomes ACTIVE; one without must finish the welcome flow first.
        to = from === 'STAGED' && user.passwordChanged !== null ? 'ACTIVE' : 'PROVISIONED';
        user.activated = nowIso();
        break;
      case 'reactivate':
        // Okta: "only on users with a PROVISIONED or RECOVERY status".
        if (from !== 'PROVISIONED' && from !== 'RECOVERY')
          fail(403, 'E0000038', "This operation is not allowed in the user's current status.");
        to = 'PROVISIONED';
        break;
      case 'deactivate':
        to = 'DEPROVISIONED';
        break;
      case 'suspend':
        if (from !== 'ACTIVE')
          fail(400, 'E0000001', 'Api validation failed: Cannot suspend a user that is not active', [
            'Cannot suspend a user that is not active',
          ]);
        to = 'SUSPENDED';
        break;
      case 'unsuspend':
        if (from !== 'SUSPENDED')
          fail(400, 'E0000001', 'Api validation failed: Cannot unsuspend a user that is not suspended', [
            'Cannot unsuspend a user that is not suspended',
          ]);
        to = 'ACTIVE';
        break;
      case 'unlock':
        if (from !== 'LOCKED_OUT') fail(403, 'E0000032', 'Unlock is not allowed for this user.');
        to = 'ACTIVE';
        break;
      default:
        throw notFound(op, 'lifecycle operation');
    }
    if (from === to && op === 'deactivate') return user;
    user.status = to;
    user.statusChanged = nowIso();
    user.lastUpdated = user.statusChanged;
    const legacy: Record<string, string> = {
      activate: 'core.user.config.user_activated',
      reactivate: 'core.user.config.user_reactivated',
      deactivate: 'core.user.config.user_deactivated',
      suspend: 'core.user.config.user_status.suspended',
      unsuspend: 'core.user.config.user_status.unsuspended',
      unlock: 'core.user.config.user_status.account_unlock',
    };
    const eventType = op === 'unlock' ? 'user.account.unlock' : `user.lifecycle.${op}`;
    this.onChange({
      eventType,
      displayMessage: `${op[0]!.toUpperCase()}${op.slice(1)} Okta user`,
      legacyEventType: legacy[op]!,
      targets: [this.userTarget(user)],
    });
    if (to === 'DEPROVISIONED') {
      // Deactivation revokes every app assignment; group memberships stay (Okta help: "Deactivate and delete user
      // accounts").
      for (const [appId, users] of this.appUsers) {
        const appUser = users.get(user.id);
        if (appUser && users.delete(user.id)) this.appUserEvent(appId, user, appUser, 'remove');
      }
    } else if (from === 'DEPROVISIONED') {
      // Back from deactivation, group-based assignments return; direct ones don't.
      for (const [appId, groups] of this.appGroups) {
        for (const gid of groups.keys()) {
          if (this.members.get(gid)?.has(user.id) || this.groups.get(gid)?.type === 'BUILT_IN')
            this.addGroupAssignment(appId, user, gid);
        }
      }
    }
    return user;
  }

  /** Deletes a DEPROVISIONED user with their memberships and app assignments. */
  deleteUser(uid: string): void {
    const user = this.requireUser(uid);
    for (const set of this.members.values()) set.delete(user.id);
    for (const users of this.appUsers.values()) users.delete(user.id);
    this.users.delete(user.id);
    this.onChange({
      eventType: 'user.lifecycle.delete.initiated',
      displayMessage: 'Delete Okta user',
      legacyEventType: 'core.user.config.user_deleted',
      targets: [this.userTarget(user)],
    });
  }

  listUserGroups(idOrLogin: string): GroupRecord[] {
    const user = this.requireUser(idOrLogin);
    return [...this.groups.values()].filter(
      (g) => g.type === 'BUILT_IN' || this.members.get(g.id)?.has(user.id),
    );
  }

  // ---- groups -------------------------------------------------------------------------------------------------

  requireGroup(gid: string): GroupRecord {
    const g = this.groups.get(gid);
    if (!g) throw notFound(gid, 'UserGroup');
    return g;
  }

  /** Members in id order (Okta's cursor order); BUILT_IN "Everyone" holds every user. */
  groupMemberIds(gid: string): string[] {
    const g = this.requireGroup(gid);
    const ids = g.type === 'BUILT_IN' ? [...this.users.keys()] : [...(this.members.get(gid) ?? [])];
    return ids.sort();
  }

  addMember(gid: string, uid: string): void {
    const group = this.requireGroup(gid);
    const user = this.requireUser(uid);
    if (group.type !== 'OKTA_GROUP')
      throw new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action', [
        'Group memberships of app groups are managed by the source application',
      ]);
    const set = this.members.get(gid)!;
    if (set.has(user.id)) return;
    set.add(user.id);
    group.lastMembershipUpdated = nowIso();
    this.onChange({
      eventType: 'group.user_membership.add',
      displayMessage: 'Add user to group membership',
      legacyEventType: 'core.user_group_member.user_add',
      targets: [this.userTarget(user), this.groupTarget(group)],
    });
    for (const [appId, groups] of this.appGroups) {
      if (groups.has(gid)) this.addGroupAssignment(appId, user, gid);
    }
  }

  removeMember(gid: string, uid: string): void {
    const group = this.requireGroup(gid);
    const user = this.requireUser(uid);
    if (group.type !== 'OKTA_GROUP')
      throw new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action', [
        'Group memberships of app groups are managed by the source application',
      ]);
    const set = this.members.get(gid)!;
    if (!set.delete(user.id)) return;
    group.lastMembershipUpdated = nowIso();
    this.onChange({
      eventType: 'group.user_membership.remove',
      displayMessage: 'Remove user from group membership',
      legacyEventType: 'core.user_group_member.user_remove',
      targets: [this.userTarget(user), this.groupTarget(group)],
    });
    for (const [appId, groups] of this.appGroups) {
      if (groups.has(gid)) this.removeGroupAssignment(appId, user.id, gid);
    }
  }

  // ---- apps ---------------------------------------------------------------------------------------------------

  requireApp(appId: string): AppRecord {
    const a = this.apps.get(appId);
    if (!a) throw notFound(appId, 'AppInstance');
    return a;
  }

  appChanged(appId: string, op: 'create' | 'update' | 'activate' | 'deactivate' | 'delete'): void {
    const app = this.apps.get(appId);
    const label = String(app?.json.label ?? appId);
    const target: EventTarget = {
      id: appId,
      type: 'AppInstance',
      alternateId: label,
      displayName: label,
      detailEntry: { signOnModeType: app?.json.signOnMode ?? null },
    };
    const legacy: Record<string, string> = {
      create: 'app.generic.config.app_created',
      update: 'app.generic.config.app_updated',
      activate: 'app.generic.config.app_activated',
      deactivate: 'app.generic.config.app_deactivated',
      delete: 'app.generic.config.app_deleted',
    };
    this.onChange({
      eventType: `application.lifecycle.${op}`,
      displayMessage: `${op === 'update' ? 'Update' : op[0]!.toUpperCase() + op.slice(1)} application`,
      legacyEventType: legacy[op]!,
      targets: [target],
    });
  }

  /** Direct assignment. Returns the app user and whether it was new. */
  assignUser(
    appId: string,
    uid: string,
    userName: string | undefined,
  ): { appUser: AppUserRecord; created: boolean } {
    this.requireApp(appId);
    const user = this.findUser(uid);
    if (!user) throw notFound(uid, 'User');
    const users = this.appUsers.get(appId)!;
    const name = userName ?? this.defaultUserName(appId, user);
    if (name.length > 100) throw validation(['userName: The field cannot exceed 100 characters']);
    const existing = users.get(user.id);
    if (existing) {
      let changed = false;
      if (!existing.direct) {
        existing.direct = true;
        changed = true;
      }
      if (userName !== undefined && existing.userName !== userName) {
        existing.userName = userName;
        changed = true;
      }
      if (changed) {
        existing.lastUpdated = nowIso();
        this.appUserEvent(appId, user, existing, 'update');
      }
      return { appUser: existing, created: false };
    }
    const t = nowIso();
    const appUser: AppUserRecord = {
      id: user.id,
      created: t,
      lastUpdated: t,
      statusChanged: t,
      userName: name,
      direct: true,
      viaGroups: new Set(),
    };
    users.set(user.id, appUser);
    this.appUserEvent(appId, user, appUser, 'add');
    return { appUser, created: true };
  }

  unassignUser(appId: string, uid: string): void {
    this.requireApp(appId);
    const users = this.appUsers.get(appId)!;
    const user = this.findUser(uid);
    const appUser = user ? users.get(user.id) : undefined;
    if (!user || !appUser) throw notFound(uid, 'AppUser');
    if (appUser.viaGroups.size) {
      // Okta refuses while any group assignment grants access, even when the user is also assigned directly.
      throw new OktaHttpError(403, 'E0000046', 'Deactivate application for user forbidden.', [
        'The application cannot be unassigned from the user while their group memberships grant them access',
      ]);
    }
    users.delete(user.id);
    this.appUserEvent(appId, user, appUser, 'remove');
  }

  assignGroup(appId: string, gid: string, priority?: number, emit = true): AppGroupRecord {
    this.requireApp(appId);
    this.requireGroup(gid);
    const groups = this.appGroups.get(appId)!;
    const record = groups.get(gid) ?? { id: gid, priority: priority ?? groups.size, lastUpdated: nowIso() };
    groups.set(gid, record);
    for (const uid of this.groupMemberIds(gid))
      this.addGroupAssignment(appId, this.users.get(uid)!, gid, emit);
    return record;
  }

  unassignGroup(appId: string, gid: string): void {
    this.requireApp(appId);
    const groups = this.appGroups.get(appId)!;
    if (!groups.delete(gid)) throw notFound(gid, 'ApplicationGroupAssignment');
    for (const appUser of [...this.appUsers.get(appId)!.values()]) {
      if (appUser.viaGroups.has(gid)) this.removeGroupAssignment(appId, appUser.id, gid);
    }
  }

  private addGroupAssignment(appId: string, user: UserRecord, gid: string, emit = true): void {
    // Deactivated users hold no app assignments, not even through groups.
    if (user.status === 'DEPROVISIONED') return;
    const users = this.appUsers.get(appId)!;
    const existing = users.get(user.id);
    if (existing) {
      existing.viaGroups.add(gid);
      return;
    }
    const t = nowIso();
    const appUser: AppUserRecord = {
      id: user.id,
      created: t,
      lastUpdated: t,
      statusChanged: t,
      userName: this.defaultUserName(appId, user),
      direct: false,
      viaGroups: new Set([gid]),
    };
    users.set(user.id, appUser);
    if (emit) this.appUserEvent(appId, user, appUser, 'add');
  }

  private removeGroupAssignment(appId: string, uid: string, gid: string): void {
    const users = this.appUsers.get(appId)!;
    const appUser = users.get(uid);
    if (!appUser) return;
    appUser.viaGroups.delete(gid);
    if (!appUser.direct && appUser.viaGroups.size === 0) {
      users.delete(uid);
      this.appUserEvent(appId, this.users.get(uid)!, appUser, 'remove');
    }
  }

  /** `credentials.userNameTemplate` with `${source.x}` resolved against the user's profile; default: login. */
  defaultUserName(appId: string, user: UserRecord): string {
    const template = (
      this.apps.get(appId)?.json.credentials as { userNameTemplate?: { template?: string } } | undefined
    )?.userNameTemplate?.template;
    if (!template) return String(user.profile.login);
    return template.replace(/\$\{source\.(\w+)\}/g, (_, attr: string) => String(user.profile[attr] ?? ''));
  }

  appUserScope(appUser: AppUserRecord): 'USER' | 'GROUP' {
    return appUser.direct ? 'USER' : 'GROUP';
  }

  /**
   * Okta's targets for `application.user_membership.*`: the assignment (`AppUser`, id `0ua…`, alternateId the app
   * username), the app and the user. Only the `User` target carries the Okta user id.
   */
  private appUserEvent(
    appId: string,
    user: UserRecord,
    appUser: AppUserRecord,
    op: 'add' | 'remove' | 'update',
  ): void {
    const app = this.apps.get(appId)!;
    const label = String(app.json.label ?? appId);
    this.onChange({
      eventType: `application.user_membership.${op}`,
      displayMessage:
        op === 'add'
          ? 'Add user to application membership'
          : op === 'remove'
            ? 'Remove user from application membership'
            : 'Update user from application membership',
      legacyEventType: `app.generic.provision.assign_user_to_app${op === 'add' ? '' : '.' + op}`,
      targets: [
        {
          id: appAssignmentId(appId, user.id),
          type: 'AppUser',
          alternateId: appUser.userName,
          displayName: displayName(user),
          detailEntry: null,
        },
        { id: appId, type: 'AppInstance', alternateId: label, displayName: label, detailEntry: null },
        this.userTarget(user),
      ],
    });
  }

  // ---- event targets ------------------------------------------------------------------------------------------

  userTarget(user: UserRecord): EventTarget {
    return {
      id: user.id,
      type: 'User',
      alternateId: String(user.profile.login),
      displayName: displayName(user),
      detailEntry: null,
    };
  }

  groupTarget(group: GroupRecord): EventTarget {
    return {
      id: group.id,
      type: 'UserGroup',
      alternateId: 'unknown',
      displayName: group.profile.name,
      detailEntry: null,
    };
  }
}

export function displayName(user: UserRecord): string {
  return `${String(user.profile.firstName ?? '')} ${String(user.profile.lastName ?? '')}`.trim();
}

function userFromSeed(u: SeedUser): UserRecord {
  const created = u.created ?? '2024-01-15T09:00:00.000Z';
  const status = u.status ?? 'ACTIVE';
  const wasActivated = status !== 'STAGED';
  return {
    id: u.id,
    status,
    created,
    activated: wasActivated ? created : null,
    statusChanged: wasActivated ? created : null,
    lastLogin: null,
    lastUpdated: created,
    passwordChanged: status === 'STAGED' || status === 'PROVISIONED' ? null : created,
    profile: structuredClone(u.profile),
    ...(u.masteredBy ? { masteredBy: u.masteredBy } : {}),
  };
}

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
