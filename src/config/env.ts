import * as z from 'zod';
import { isRealmSid } from '../domain/realm-sid';
import type { Policy } from '../domain/policy';
import type { OktaCredentials } from '../okta/client';
import { resolveCredentials } from './credentials-env';
import { ConfigError } from './errors';
import { policyEnvShape, policyFromEnv } from './policy-env';

/**
 * Settings for the local runtime and the CLI, read from the environment once at start. Nothing else in the
 * codebase reads `process.env`. On Lambda the same shape is assembled from Lambda env vars + Secrets Manager.
 */
export interface AppSettings {
  orgUrl: string;
  credentials: OktaCredentials;
  /** Who should have Frontline and how access may change: the one resolved policy (src/domain/policy.ts). */
  policy: Policy;
  appId: string | undefined;
  realmSid: string | undefined;
  hookSecret: string;
  hookSecretPrevious: string | undefined;
  hookAuthHeader: string;
  port: number;
  host: string;
  /** Counted attempts before a work item is dead-lettered (429 waits don't count). @default 20 */
  maxReceives: number;
  /** First retry wait after a failure; doubles per attempt. @default 5 */
  retryBaseSeconds: number;
  /** Longest single retry wait. @default 300 */
  retryMaxSeconds: number;
  /** Where `serve` keeps its SQLite database (queue, dead letters, local state). @default '.frontline' */
  dataDir: string;
  /** Seconds between the local backstop's full reconciles; 0 turns it off. @default 3600 */
  reconcileIntervalSeconds: number;
  /** Seconds between `serve`'s System Log catch-up polls; 0 turns them off. @default 60 */
  catchupIntervalSeconds: number;
  /** How far back the first catch-up poll (no cursor yet) starts, in seconds. @default 900 */
  catchupLookbackSeconds: number;
  /** How long SIGINT/SIGTERM waits for in-flight items before stopping anyway. @default 10 */
  drainTimeoutSeconds: number;
  /** node:http limits of the local receiver. */
  http: HttpLimits;
  /** Label used to find (and create) the Frontline app when no app id is given; undefined = the default label. */
  appLabel: string | undefined;
  /** Where the CLI records the certificate fingerprint last confirmed in Frontline's console. */
  stateFile: string;
}

export interface HttpLimits {
  /** Time to receive a request's headers. @default 10 s */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. @default 15 s */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. @default 5 s */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are refused. @default 256 */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
};

export class SettingsError extends ConfigError {
  public constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
    this.name = 'SettingsError';
  }
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An optional number of seconds in [min, max]; fractions allowed (tests and benchmarks scale waits down). */
function seconds(min: number, max: number) {
  const range = `must be a number of seconds from ${min} to ${max}`;
  return optional.pipe(
    z.coerce
      .number<string | undefined>({ error: range })
      .min(min, { error: range })
      .max(max, { error: range })
      .optional(),
  );
}

/** An optional whole number in [min, max]; the message gives the range (the variable is named by the caller). */
function wholeNumber(min: number, max: number) {
  const range = `must be a whole number from ${min} to ${max}`;
  return optional.pipe(
    z.coerce
      .number<string | undefined>({ error: range })
      .int({ error: range })
      .min(min, { error: range })
      .max(max, { error: range })
      .optional(),
  );
}

const EnvSchema = z.object({
  OKTA_ORG_URL: z.url({
    protocol: /^https?$/,
    error: 'must be an http(s) URL such as https://example.okta.com',
  }),
  OKTA_API_TOKEN: optional,
  OKTA_CLIENT_ID: optional,
  OKTA_PRIVATE_KEY: optional,
  OKTA_KEY_ID: optional,
  OKTA_SCOPES: optional,
  ...policyEnvShape,
  FRONTLINE_APP_ID: optional,
  FRONTLINE_REALM_SID: optional.refine((v) => v === undefined || isRealmSid(v), {
    message: 'must be a Frontline Realm SID: "JB" followed by 32 hex digits',
  }),
  OKTA_HOOK_SECRET: z
    .string({ error: 'is required (the secret Okta sends in the event hook auth header)' })
    .min(16, { error: 'must be at least 16 characters' }),
  OKTA_HOOK_SECRET_PREVIOUS: optional,
  OKTA_HOOK_AUTH_HEADER: optional,
  PORT: wholeNumber(0, 65535),
  HOST: optional,
  FRONTLINE_APP_LABEL: optional,
  FRONTLINE_STATE_FILE: optional,
  WORK_MAX_RECEIVES: wholeNumber(1, 1000),
  WORK_RETRY_BASE_SECONDS: seconds(0.001, 3600),
  WORK_RETRY_MAX_SECONDS: seconds(0.001, 86_400),
  FRONTLINE_DATA_DIR: optional,
  FRONTLINE_RECONCILE_INTERVAL: seconds(0, 7 * 86_400),
  FRONTLINE_DRAIN_TIMEOUT_SECONDS: seconds(0, 3600),
  FRONTLINE_CATCHUP_INTERVAL: seconds(0, 86_400),
  // Okta refuses a `since` more than 180 days back (E0000053).
  FRONTLINE_CATCHUP_LOOKBACK: seconds(1, 180 * 86_400),
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds(0.1, 600),
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds(0.1, 3600),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: seconds(0.1, 600),
  HTTP_MAX_CONNECTIONS: wholeNumber(1, 100_000),
});

export interface LoadOptions {
  /** Commands that don't receive hooks (check, setup…) don't need the hook secret. */
  requireHookSecret?: boolean;
  requireGroup?: boolean;
  /** `serve` needs the app id up front; other commands can find the app by label. */
  requireApp?: boolean;
  /** `setup`, `check` and `repair` build the app rules from the Realm SID: a missing one is a problem like the rest. */
  requireRealm?: boolean;
}

/** Parses the environment; throws a SettingsError naming every problem (never echoing secret values). */
export function loadSettings(env: NodeJS.ProcessEnv, options: LoadOptions = {}): AppSettings {
  const { requireHookSecret = true, requireGroup = true } = options;
  // A secret a command doesn't need gets a placeholder so the schema stays one; it comes back empty below.
  const input = {
    ...env,
    ...(requireHookSecret ? {} : { OKTA_HOOK_SECRET: env.OKTA_HOOK_SECRET || 'not-required-not-required' }),
  };
  const parsed = EnvSchema.safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      problems.push(`${name} ${issue.message}`);
    }
  }
  if (options.requireApp && !env.FRONTLINE_APP_ID?.trim()) {
    problems.push('FRONTLINE_APP_ID is required (the Frontline SAML app, 0oa…)');
  }
  if (options.requireRealm && !env.FRONTLINE_REALM_SID?.trim()) {
    problems.push('FRONTLINE_REALM_SID is required (Frontline console > Manage > SSO/Log in)');
  }
  const policy = parsed.success ? policyFromEnv(parsed.data, problems, { requireGroup }) : undefined;
  // Every check runs whatever else failed, so one run names every problem.
  const credentials = resolveCredentials(input, problems);
  if (!parsed.success || !policy || !credentials || problems.length > 0) {
    throw new SettingsError([...new Set(problems)]);
  }
  const d = parsed.data;
  return {
    orgUrl: d.OKTA_ORG_URL.replace(/\/+$/, ''),
    credentials,
    policy,
    appId: d.FRONTLINE_APP_ID,
    realmSid: d.FRONTLINE_REALM_SID,
    hookSecret: requireHookSecret || env.OKTA_HOOK_SECRET ? d.OKTA_HOOK_SECRET : '',
    hookSecretPrevious: d.OKTA_HOOK_SECRET_PREVIOUS,
    hookAuthHeader: d.OKTA_HOOK_AUTH_HEADER ?? 'Authorization',
    port: d.PORT ?? 8080,
    host: d.HOST ?? '127.0.0.1',
    maxReceives: d.WORK_MAX_RECEIVES ?? 20,
    retryBaseSeconds: d.WORK_RETRY_BASE_SECONDS ?? 5,
    retryMaxSeconds: d.WORK_RETRY_MAX_SECONDS ?? 300,
    dataDir: d.FRONTLINE_DATA_DIR ?? '.frontline',
    reconcileIntervalSeconds: d.FRONTLINE_RECONCILE_INTERVAL ?? 3600,
    catchupIntervalSeconds: d.FRONTLINE_CATCHUP_INTERVAL ?? 60,
    catchupLookbackSeconds: d.FRONTLINE_CATCHUP_LOOKBACK ?? 900,
    drainTimeoutSeconds: d.FRONTLINE_DRAIN_TIMEOUT_SECONDS ?? 10,
    http: {
      headersTimeoutMs: secondsToMs(d.HTTP_HEADERS_TIMEOUT_SECONDS) ?? DEFAULT_HTTP_LIMITS.headersTimeoutMs,
      requestTimeoutMs: secondsToMs(d.HTTP_REQUEST_TIMEOUT_SECONDS) ?? DEFAULT_HTTP_LIMITS.requestTimeoutMs,
      keepAliveTimeoutMs:
        secondsToMs(d.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS) ?? DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs,
      maxConnections: d.HTTP_MAX_CONNECTIONS ?? DEFAULT_HTTP_LIMITS.maxConnections,
    },
    appLabel: d.FRONTLINE_APP_LABEL,
    stateFile: d.FRONTLINE_STATE_FILE ?? '.frontline-state.json',
  };
}

const secondsToMs = (s: number | undefined): number | undefined =>
  s === undefined ? undefined : Math.round(s * 1000);

/** Where serve's database lives, for commands that need nothing else (`dlq`). */
export function loadDataDir(env: NodeJS.ProcessEnv): string {
  return env.FRONTLINE_DATA_DIR?.trim() || '.frontline';
}
