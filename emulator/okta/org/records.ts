import type { ChangeEvent } from '../events';
import type { OrgSettings, SeedServiceApp, UserStatus } from '../types';

/** An asynchronous activation/deactivation under way. */
export interface PendingTransition {
  op: string;
  to: UserStatus;
  timer: NodeJS.Timeout;
}

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
  /** The app's federated claims, oldest first (../routes/federated-claims.ts); absent until one is created. */
  federatedClaims?: FederatedClaimRecord[];
}

/** One federated claim ("Application SSO Federated Claims", `FederatedClaim`): `ofc…`, a name, an expression. */
export interface FederatedClaimRecord {
  id: string;
  name: string;
  expression: string;
  created: string;
  lastUpdated: string;
}

export interface AppGroupRecord {
  id: string;
  /** 0 is the highest: its profile applies to members several assigned groups hold (Apps API, ApplicationGroupAssignment). */
  priority: number;
  lastUpdated: string;
  /** App-specific attributes the group gives its members' app users. */
  profile: Record<string, unknown>;
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
  /** Epoch ms before which a new or changed hook delivers nothing (the start delay, ../hooks.ts `changed`). */
  deliversFrom?: number;
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
  /** User id → its asynchronous lifecycle transition under way. */
  readonly transitions: Map<string, PendingTransition>;
  adminId: string;
  emit(event: ChangeEvent): void;
}
