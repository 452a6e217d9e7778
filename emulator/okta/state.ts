import type { ChangeEvent, EventTarget } from './events';
import { nowIso } from './ids';
import * as assignments from './org/assignments';
import { normalizeApp } from './org/app-json';
import { groupTarget, appLifecycleEvent, userTarget } from './org/event-targets';
import { completePendingTransitions, lifecycle } from './org/lifecycle';
import * as lookup from './org/lookup';
import * as memberships from './org/memberships';
import type {
  AppGroupRecord,
  AppRecord,
  AppUserRecord,
  EventHookRecord,
  GroupRecord,
  Org,
  PendingTransition,
  UserRecord,
} from './org/records';
import * as users from './org/users';
import type { OrgSettings, SeedData, SeedServiceApp } from './types';

export type {
  AppGroupRecord,
  AppRecord,
  AppUserRecord,
  EventHookRecord,
  GroupRecord,
  UserRecord,
} from './org/records';
export { displayName } from './org/event-targets';
export { normalizeApp } from './org/app-json';

export const DEFAULT_ORG_SETTINGS: OrgSettings = {
  allowDeactivatedProfileUpdates: false,
  asyncLifecycleMs: 0,
};

/**
 * The org's data. The rules that change it live in `org/` (users and their lifecycle, memberships, assignments,
 * event targets); this class holds the maps and gives routes one object to call. Each change reports a System
 * Log-shaped event to `onChange`.
 */
export class EmulatorState implements Org {
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly members = new Map<string, Set<string>>();
  readonly apps = new Map<string, AppRecord>();
  readonly appUsers = new Map<string, Map<string, AppUserRecord>>();
  readonly appGroups = new Map<string, Map<string, AppGroupRecord>>();
  readonly eventHooks = new Map<string, EventHookRecord>();
  readonly serviceApps = new Map<string, SeedServiceApp>();
  readonly settings: OrgSettings = { ...DEFAULT_ORG_SETTINGS };
  readonly transitions = new Map<string, PendingTransition>();
  adminId = '';

  constructor(private readonly onChange: (event: ChangeEvent) => void = () => {}) {}

  emit(event: ChangeEvent): void {
    this.onChange(event);
  }

  /** Replaces all data with the seed. App signing keys are attached by the caller (they are made asynchronously). */
  load(seed: SeedData): void {
    this.cancelTransitions();
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
    for (const u of [admin, ...(seed.users ?? [])]) this.users.set(u.id, users.userFromSeed(u));
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

  /** Finishes every asynchronous lifecycle transition under way now. */
  completeTransitions = () => completePendingTransitions(this);

  cancelTransitions(): void {
    for (const t of this.transitions.values()) clearTimeout(t.timer);
    this.transitions.clear();
  }

  // ---- lookups ------------------------------------------------------------------------------------------------
  findUser = (idOrLogin: string) => lookup.findUser(this, idOrLogin);
  requireUser = (idOrLogin: string) => lookup.requireUser(this, idOrLogin);
  requireGroup = (gid: string) => lookup.requireGroup(this, gid);
  requireApp = (appId: string) => lookup.requireApp(this, appId);
  groupMemberIds = (gid: string) => lookup.groupMemberIds(this, gid);

  // ---- users and groups ---------------------------------------------------------------------------------------
  createUser = (
    profile: Record<string, unknown>,
    opts: { activate: boolean; hasPassword: boolean; groupIds: string[] },
  ) => users.createUser(this, profile, opts);
  updateProfile = (idOrLogin: string, patch: Record<string, unknown>, replace: boolean) =>
    users.updateProfile(this, idOrLogin, patch, replace);
  lifecycle = (idOrLogin: string, op: string) => lifecycle(this, idOrLogin, op);
  deleteUser = (uid: string) => users.deleteUser(this, uid);
  listUserGroups = (idOrLogin: string) => memberships.listUserGroups(this, idOrLogin);
  createGroup = (profile: { name?: unknown; description?: unknown }) =>
    memberships.createGroup(this, profile);
  addMember = (gid: string, uid: string) => memberships.addMember(this, gid, uid);
  removeMember = (gid: string, uid: string) => memberships.removeMember(this, gid, uid);

  // ---- apps and assignments -----------------------------------------------------------------------------------
  appChanged = (appId: string, op: 'create' | 'update' | 'activate' | 'deactivate' | 'delete') =>
    appLifecycleEvent(this, appId, op);
  assignUser = (appId: string, uid: string, userName: string | undefined) =>
    assignments.assignUser(this, appId, uid, userName);
  unassignUser = (appId: string, uid: string) => assignments.unassignUser(this, appId, uid);
  updateAppUserName = (appId: string, uid: string, userName: string) =>
    assignments.updateAppUserName(this, appId, uid, userName);
  assignGroup = (
    appId: string,
    gid: string,
    priority?: number,
    emit = true,
    profile?: Record<string, unknown>,
  ) => assignments.assignGroup(this, appId, gid, priority, emit, profile);
  grantingGroup = (appId: string, appUser: AppUserRecord) => assignments.grantingGroup(this, appId, appUser);
  unassignGroup = (appId: string, gid: string) => assignments.unassignGroup(this, appId, gid);
  defaultUserName = (appId: string, user: UserRecord) => assignments.defaultUserName(this, appId, user);
  appUserScope = (appUser: AppUserRecord) => assignments.appUserScope(appUser);

  // ---- event targets ------------------------------------------------------------------------------------------
  userTarget = (user: UserRecord): EventTarget => userTarget(user);
  groupTarget = (group: GroupRecord): EventTarget => groupTarget(group);
}
