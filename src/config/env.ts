import * as z from 'zod';
import { DEFAULT_APP_LABEL } from '../domain/app-config';
import { isRealmSid } from '../domain/realm-sid';
import type { Policy } from '../domain/policy';
import { OKTA_SCOPES, type OktaCredentials } from '../okta/client';
import { DEFAULT_MAX_EVENTS_PER_DELIVERY } from '../receiver/receiver';
import { HOOK_SECRET_MIN_LENGTH, HOOK_SECRET_TOO_SHORT } from '../secrets/hook-secret';
import { certificateEnvShape, certificateExpiryWarningDaysOf } from './certificate-env';
import { resolveCredentials } from './credentials-env';
import { ConfigError } from './errors';
import { policyEnvShape, readPolicy } from './policy-env';
import { wholeNumber } from './env-schema';

/**
 * Settings for the local runtime and the CLI, read from the environment once at start. Nothing else in the
 * codebase reads `process.env`. On Lambda the same shape is assembled from Lambda env vars + Secrets Manager.
 * Defaults: LOCAL_DEFAULTS and DEFAULT_HTTP_LIMITS.
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
  /** Counted attempts before a work item is dead-lettered (429 waits don't count). */
  maxReceives: number;
  /** First retry wait after a failure; doubles per attempt. */
  retryBaseSeconds: number;
  /** Longest single retry wait. */
  retryMaxSeconds: number;
  /** Where `serve` keeps its SQLite database (queue, dead letters, local state). */
  dataDir: string;
  /** Seconds between the local backstop's full reconciles; 0 turns it off. */
  reconcileIntervalSeconds: number;
  /** Seconds between `serve`'s System Log catch-up polls; 0 turns them off. */
  catchupIntervalSeconds: number;
  /** How far back the first catch-up poll (no cursor yet) starts, in seconds. */
  catchupLookbackSeconds: number;
  /** How long SIGINT/SIGTERM waits for in-flight items before stopping anyway. */
  drainTimeoutSeconds: number;
  /** node:http limits of the local receiver. */
  http: HttpLimits;
  /** Events accepted in one event hook delivery; more answer 413. */
  maxEventsPerDelivery: number;
  /** Label used to find (and create) the Frontline app when no app id is given; undefined = the default label. */
  appLabel: string | undefined;
  /** Where the CLI records the certificate fingerprint last confirmed in Frontline's console. */
  stateFile: string;
  /** Days before the signing certificate expires from which `check`, `status` and serve's backstop report it. */
  certificateExpiryWarningDays: number;
}

export interface HttpLimits {
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are refused. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
};

/** The local settings' other defaults, applied by loadSettings and quoted by EnvSchema's descriptions. */
export const LOCAL_DEFAULTS = {
  hookAuthHeader: 'Authorization',
  port: 8080,
  host: '127.0.0.1',
  maxReceives: 20,
  retryBaseSeconds: 5,
  retryMaxSeconds: 300,
  dataDir: '.frontline',
  reconcileIntervalSeconds: 3600,
  catchupIntervalSeconds: 60,
  catchupLookbackSeconds: 900,
  drainTimeoutSeconds: 10,
  stateFile: '.frontline-state.json',
  // The receiver's own default, shared with the Lambda (src/receiver/receiver.ts says why this number).
  maxEventsPerDelivery: DEFAULT_MAX_EVENTS_PER_DELIVERY,
} as const;

/** "Default: `value`." for a description. */
const byDefault = (value: string | number): string => `Default: \`${value}\`.`;

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

/**
 * The local runtime's and the CLI's variables, each with its description (docs/configuration.md is generated from
 * them: `npm run docs`).
 */
export const EnvSchema = z.object({
  OKTA_ORG_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL such as https://example.okta.com',
    })
    .describe("The Okta org, `https://<your-org>.okta.com` (or the emulator's URL). Required."),
  OKTA_API_TOKEN: optional.describe(
    'An SSWS API token (pasted with its `SSWS ` prefix is fine). One Okta credential is required: this, or ' +
      'OKTA_CLIENT_ID + OKTA_PRIVATE_KEY.',
  ),
  OKTA_CLIENT_ID: optional.describe(
    'The client id of an OAuth 2.0 service app (private_key_jwt), used with OKTA_PRIVATE_KEY: the credential ' +
      'preferred in production.',
  ),
  OKTA_PRIVATE_KEY: optional.describe(
    "The service app's private key, PEM or JWK (`\\n` escapes accepted). Required with OKTA_CLIENT_ID.",
  ),
  OKTA_KEY_ID: optional.describe("The key id (`kid`) of the service app's key, sent in the token request."),
  OKTA_SCOPES: optional.describe(
    `The scopes requested with the service app, space- or comma-separated. ${byDefault(OKTA_SCOPES.join(' '))}`,
  ),
  ...policyEnvShape,
  FRONTLINE_APP_ID: optional.describe(
    'The Frontline SAML app (`0oa…`). Required by `serve`; the other commands find the app by its label.',
  ),
  FRONTLINE_REALM_SID: optional
    .refine((v) => v === undefined || isRealmSid(v), {
      message: 'must be a Frontline Realm SID: "JB" followed by 32 hex digits',
    })
    .describe(
      'The Frontline Realm SID, `JB` + 32 hex digits (Frontline console → Manage → SSO/Log in). Required by ' +
        '`setup`, `check` and `repair`.',
    ),
  OKTA_HOOK_SECRET: z
    .string({ error: 'is required (the secret Okta sends in the event hook auth header)' })
    .min(HOOK_SECRET_MIN_LENGTH, { error: HOOK_SECRET_TOO_SHORT })
    .describe(
      `The event hook's auth header value, at least ${HOOK_SECRET_MIN_LENGTH} characters. Required by \`serve\` and \`hook register\`.`,
    ),
  OKTA_HOOK_SECRET_PREVIOUS: optional
    .pipe(z.string().min(HOOK_SECRET_MIN_LENGTH, { error: HOOK_SECRET_TOO_SHORT }).optional())
    .describe(
      `The previous hook secret, still accepted while the secret is being rotated; at least ${HOOK_SECRET_MIN_LENGTH} characters.`,
    ),
  OKTA_HOOK_AUTH_HEADER: optional.describe(
    `The header carrying the hook secret. ${byDefault(LOCAL_DEFAULTS.hookAuthHeader)}`,
  ),
  PORT: wholeNumber(0, 65535).describe(`The port \`serve\` listens on. ${byDefault(LOCAL_DEFAULTS.port)}`),
  HOST: optional.describe(`The address \`serve\` listens on. ${byDefault(LOCAL_DEFAULTS.host)}`),
  FRONTLINE_APP_LABEL: optional.describe(
    `The label used to find or create the app when FRONTLINE_APP_ID is unset. ${byDefault(DEFAULT_APP_LABEL)}`,
  ),
  FRONTLINE_STATE_FILE: optional.describe(
    "Where `setup` and `check` record the certificate fingerprint last confirmed in Frontline's console " +
      `(fingerprints only, nothing secret). ${byDefault(LOCAL_DEFAULTS.stateFile)}`,
  ),
  ...certificateEnvShape,
  WORK_MAX_RECEIVES: wholeNumber(1, 1000).describe(
    "Attempts before a work item is dead-lettered (waits for a 429's reset don't count). " +
      byDefault(LOCAL_DEFAULTS.maxReceives),
  ),
  WORK_RETRY_BASE_SECONDS: seconds(0.001, 3600).describe(
    "`serve`'s first retry wait, in seconds; it doubles per attempt, +0–20% jitter. " +
      byDefault(LOCAL_DEFAULTS.retryBaseSeconds),
  ),
  WORK_RETRY_MAX_SECONDS: seconds(0.001, 86_400).describe(
    `The longest single retry wait, in seconds. ${byDefault(LOCAL_DEFAULTS.retryMaxSeconds)}`,
  ),
  FRONTLINE_DATA_DIR: optional.describe(
    'Where `serve` and `dlq` keep `frontline.db` (queue, dead letters, confirmed certificates), owner-only ' +
      '(700, files 600); one `serve` at a time. ' +
      byDefault(LOCAL_DEFAULTS.dataDir),
  ),
  FRONTLINE_RECONCILE_INTERVAL: seconds(0, 7 * 86_400).describe(
    "Seconds between `serve`'s backstop runs (full reconcile + report-only app check); `0` turns them off. " +
      byDefault(LOCAL_DEFAULTS.reconcileIntervalSeconds),
  ),
  FRONTLINE_DRAIN_TIMEOUT_SECONDS: seconds(0, 3600).describe(
    `How long SIGINT/SIGTERM waits for in-flight items, in seconds. ${byDefault(LOCAL_DEFAULTS.drainTimeoutSeconds)}`,
  ),
  FRONTLINE_CATCHUP_INTERVAL: seconds(0, 86_400).describe(
    "Seconds between `serve`'s System Log catch-up polls (and event hook health checks); `0` turns them off. " +
      byDefault(LOCAL_DEFAULTS.catchupIntervalSeconds),
  ),
  // Okta refuses a `since` more than 180 days back (E0000053).
  FRONTLINE_CATCHUP_LOOKBACK: seconds(1, 180 * 86_400).describe(
    'How far back, in seconds, the first catch-up poll starts, before a cursor exists (at most 180 days). ' +
      byDefault(LOCAL_DEFAULTS.catchupLookbackSeconds),
  ),
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds(0.1, 600).describe(
    "`serve`'s receiver: time to receive a request's headers, in seconds. " +
      byDefault(DEFAULT_HTTP_LIMITS.headersTimeoutMs / 1000),
  ),
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds(0.1, 3600).describe(
    "`serve`'s receiver: time to receive a whole request, body included, in seconds. " +
      byDefault(DEFAULT_HTTP_LIMITS.requestTimeoutMs / 1000),
  ),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: seconds(0.1, 600).describe(
    'An idle kept-alive connection is closed after this many seconds. ' +
      byDefault(DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs / 1000),
  ),
  HTTP_MAX_CONNECTIONS: wholeNumber(1, 100_000).describe(
    `Open connections at most; more are refused. ${byDefault(DEFAULT_HTTP_LIMITS.maxConnections)}`,
  ),
  MAX_EVENTS_PER_DELIVERY: wholeNumber(1, 100_000).describe(
    "`serve`'s receiver: events accepted in one event hook delivery; a delivery with more is refused with 413 " +
      '(Okta documents no maximum and does not retry a 4xx: the System Log catch-up picks up what a refused ' +
      `delivery carried). ${byDefault(LOCAL_DEFAULTS.maxEventsPerDelivery)}`,
  ),
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
  const policy = readPolicy(input, problems, { requireGroup });
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
    hookAuthHeader: d.OKTA_HOOK_AUTH_HEADER ?? LOCAL_DEFAULTS.hookAuthHeader,
    port: d.PORT ?? LOCAL_DEFAULTS.port,
    host: d.HOST ?? LOCAL_DEFAULTS.host,
    maxReceives: d.WORK_MAX_RECEIVES ?? LOCAL_DEFAULTS.maxReceives,
    retryBaseSeconds: d.WORK_RETRY_BASE_SECONDS ?? LOCAL_DEFAULTS.retryBaseSeconds,
    retryMaxSeconds: d.WORK_RETRY_MAX_SECONDS ?? LOCAL_DEFAULTS.retryMaxSeconds,
    dataDir: d.FRONTLINE_DATA_DIR ?? LOCAL_DEFAULTS.dataDir,
    reconcileIntervalSeconds: d.FRONTLINE_RECONCILE_INTERVAL ?? LOCAL_DEFAULTS.reconcileIntervalSeconds,
    catchupIntervalSeconds: d.FRONTLINE_CATCHUP_INTERVAL ?? LOCAL_DEFAULTS.catchupIntervalSeconds,
    catchupLookbackSeconds: d.FRONTLINE_CATCHUP_LOOKBACK ?? LOCAL_DEFAULTS.catchupLookbackSeconds,
    drainTimeoutSeconds: d.FRONTLINE_DRAIN_TIMEOUT_SECONDS ?? LOCAL_DEFAULTS.drainTimeoutSeconds,
    http: {
      headersTimeoutMs: secondsToMs(d.HTTP_HEADERS_TIMEOUT_SECONDS) ?? DEFAULT_HTTP_LIMITS.headersTimeoutMs,
      requestTimeoutMs: secondsToMs(d.HTTP_REQUEST_TIMEOUT_SECONDS) ?? DEFAULT_HTTP_LIMITS.requestTimeoutMs,
      keepAliveTimeoutMs:
        secondsToMs(d.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS) ?? DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs,
      maxConnections: d.HTTP_MAX_CONNECTIONS ?? DEFAULT_HTTP_LIMITS.maxConnections,
    },
    maxEventsPerDelivery: d.MAX_EVENTS_PER_DELIVERY ?? LOCAL_DEFAULTS.maxEventsPerDelivery,
    appLabel: d.FRONTLINE_APP_LABEL,
    stateFile: d.FRONTLINE_STATE_FILE ?? LOCAL_DEFAULTS.stateFile,
    certificateExpiryWarningDays: certificateExpiryWarningDaysOf(d),
  };
}

const secondsToMs = (s: number | undefined): number | undefined =>
  s === undefined ? undefined : Math.round(s * 1000);

/** Where serve's database lives, for commands that need nothing else (`dlq`). */
export function loadDataDir(env: NodeJS.ProcessEnv): string {
  return env.FRONTLINE_DATA_DIR?.trim() || LOCAL_DEFAULTS.dataDir;
}
