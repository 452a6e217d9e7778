import type { ChangeEvent } from '../events';
import type { SeedServiceApp, UserStatus } from '../types';

export interface UserRecord {
  id: string;
  status: UserStatus;
  /** Set while an asynchronous activation/deactivation runs (Users API `transitioningToStatus`). */
  transitioningToStatus?: UserStatus;
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

/** Org-wide settings an admin can change in Okta's Admin Console (the emulator's control API sets them). */
export interface OrgSettings {
  /**
   * "Edit Deactivated User Profile Updates": when off (Okta's default) profile edits of DEPROVISIONED users answer
   * 403 E0000038 (Users API, `updateUser`: "…the user's profile can't be updated while DEPROVISIONED unless…").
   */
  allowDeactivatedProfileUpdates: boolean;
  /**
   * When > 0, activation and deactivation run asynchronously: for this many ms the user keeps its status and carries
   * `transitioningToStatus` (Users API `activateUser`/`deactivateUser`: "this operation is asynchronous").
   * @default 0
   */
  asyncLifecycleMs: number;
}

/** The org's data, shared by the modules that change it; every change is reported through `emit`. */
export interface Org {
  readonly users: Map<string, UserRecord>;
  readonly groups: Map<string, GroupRecord>;
  readonly members: Map<string, Set<string>>;
  readonly apps: Map<string, AppRecord>;
  readonly appUsers: Map<string, Map<string, AppUserRecord>>;
  readonly appGroups: Map<string, Map<string, AppGroupRecord>>;
  readonly eventHooks: Map<string, EventHookRecord>;
  readonly serviceApps: Map<string, SeedServiceApp>;
  readonly settings: OrgSettings;
  adminId: string;
  emit(event: ChangeEvent): void;
}
