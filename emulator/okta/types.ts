/** Plain-data description of an org, so tests can seed their own. Everything optional is filled in by the emulator. */
export interface SeedData {
  /** The admin the API token acts as; shows up as the `actor` of System Log events. */
  admin?: SeedUser;
  users?: SeedUser[];
  groups?: SeedGroup[];
  /** Group id → member user ids, in insertion order. */
  memberships?: Record<string, string[]>;
  /** Raw app JSON as Okta returns it; `id` required. Missing server-managed fields are filled in. */
  apps?: Record<string, unknown>[];
  /** Direct (scope USER) app assignments. */
  appUsers?: SeedAppUser[];
  /** Group → app assignments; every member gets a scope GROUP app user. */
  appGroups?: { appId: string; groupId: string; priority?: number }[];
  /** OAuth 2.0 service apps allowed to use client_credentials + private_key_jwt. */
  serviceApps?: SeedServiceApp[];
  eventHooks?: Record<string, unknown>[];
  /** Org settings this org starts with (the `org` start option overrides them). */
  settings?: Partial<OrgSettings>;
}

export type UserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

export interface SeedUser {
  id: string;
  status?: UserStatus;
  /** Must hold login, email, firstName, lastName; anything else is a custom attribute. */
  profile: Record<string, unknown>;
  /** When set, profile writes answer 403 E0000023 (the profile is mastered by this source, e.g. "Active Directory"). */
  masteredBy?: string;
  created?: string;
}

export interface SeedGroup {
  id: string;
  name: string;
  description?: string | null;
  /** OKTA_GROUP (default), APP_GROUP (e.g. imported from AD) or BUILT_IN (Everyone). */
  type?: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
}

export interface SeedAppUser {
  appId: string;
  userId: string;
  userName?: string;
}

export interface SeedServiceApp {
  clientId: string;
  /** Public JWK (RSA or EC) the client signs its assertions with; `kid` optional. */
  publicJwk: Record<string, unknown>;
  scopes: string[];
  /** Okta's "Require DPoP header in token requests". @default false */
  requireDpop?: boolean;
}

export interface RateLimitSettings {
  /** When false, no limits are enforced and no X-Rate-Limit headers are sent. @default true */
  enabled: boolean;
  /** Window length in ms (Okta: one minute). A benchmark can compress it to 1000. @default 60000 */
  windowMs: number;
  /** Per-bucket request limits per window; unknown buckets use `default`. */
  limits: Record<string, number>;
  /** Max requests in flight for the whole org; 0 = unlimited. @default 0 */
  maxConcurrent: number;
  /**
   * Percent of each bucket one API token or OAuth service app may use (Okta's default 50%); 100 = no share limit.
   * @default 50
   */
  credentialShare: number;
  /** Per-credential overrides of `credentialShare`, keyed by OAuth client id or `SSWS` (the API token). @default {} */
  credentialShares: Record<string, number>;
}

export interface FaultSettings {
  /** Share (0..1) of API reads (GET) that fail with 500 or 503. @default 0 */
  readErrorRate: number;
  /** Share (0..1) of API writes (POST/PUT/DELETE) that fail with 500 or 503 before any change is made. @default 0 */
  writeErrorRate: number;
  /**
   * Share (0..1) of API requests answered 429 E0000047 as though their bucket were spent (`X-Rate-Limit-Remaining`
   * 0 until the bucket's reset), as a busy org's other integrations can make Okta answer. @default 0
   */
  rateLimitErrorRate?: number;
  /** Added latency per API request, ms: a fixed part plus a uniform random part. @default 0, 0 */
  latencyMs: number;
  latencyJitterMs: number;
  /** Hook delivery faults: share of batches sent twice, share of batches held back and sent after the next, share dropped. */
  hookDuplicateRate: number;
  hookReorderRate: number;
  hookDropRate: number;
  /** System Log: share (0..1) of events persisted late (after later events, keeping their `published`). @default 0 */
  logDelayRate: number;
  /** How late such an event is persisted, ms. @default 2000 */
  logDelayMs: number;
}

export interface HookDeliverySettings {
  /** Events within this many ms are sent in one request. @default 50 */
  batchWindowMs: number;
  /** Max events per request. @default 50 */
  maxBatchSize: number;
  /** Okta waits 3 s for the hook's answer. @default 3000 */
  timeoutMs: number;
  /** Okta retries once on timeout or 5xx. @default 1 */
  maxRetries: number;
  /**
   * How long a hook delivers nothing after it is created, changed, verified or activated: Okta's event hooks guide
   * says it "may take several minutes" before a new or updated hook delivers. Events in that window reach a
   * receiver only through the System Log. 0 turns it off (the default, so tests and the demo see deliveries at
   * once); a benchmark or test of the silent window sets it.
   * @default 0
   */
  startDelayMs: number;
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

export interface EmulatorOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * 'demo' = a small realistic org (see seeds/demo.ts); 'empty' = only the admin user, no apps, no groups.
   * @default 'demo'
   */
  seed?: 'demo' | 'empty' | SeedData;
  /** The SSWS API token accepted. @default DEFAULT_EMULATOR_TOKEN */
  token?: string;
  /** `false` disables rate limiting. */
  rateLimits?: Partial<RateLimitSettings> | false;
  faults?: Partial<FaultSettings>;
  hooks?: Partial<HookDeliverySettings>;
  /** Seed for every random choice (faults, hook delivery faults). @default 1 */
  randomSeed?: number;
  /** Org settings ("Edit Deactivated User Profile Updates", asynchronous lifecycle). */
  org?: Partial<OrgSettings>;
  /** Max entries kept in the request log. @default 10000 */
  requestLogSize?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The query string without `?`, '' when none. */
  query: string;
  bucket: string;
  /** Whose share of the bucket it used: an OAuth client id, `SSWS` (the API token), or none. */
  credential?: string;
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /** What answered: the route, a fault, the rate limiter, auth. */
  cause?: 'fault' | 'rate-limit' | 'concurrency' | 'auth';
}

export interface HookDeliveryRecord {
  hookId: string;
  uri: string;
  /** 1 for the first try, 2 for the retry. */
  attempt: number;
  /** The envelope's `eventId`: the same for a delivery and its retry. */
  deliveryId?: string;
  eventIds: string[];
  eventTypes: string[];
  /** HTTP status, or undefined on timeout/network error. */
  status?: number;
  error?: string;
  time: string;
  /** 'duplicate' when this is a fault-injected copy; 'dropped' when a fault made the emulator skip it. */
  fault?: 'duplicate' | 'reordered' | 'dropped';
}
