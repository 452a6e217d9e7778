import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError as BaseConfigError } from '../src/config/errors';
import { ASSIGNMENT_MODES, resolvePolicy, SUSPENDED_POLICIES, type Policy } from '../src/domain/policy';
import { REALM_SID_PATTERN } from '../src/domain/realm-sid';
import { parseUserNameTemplate, UserNameTemplateError } from '../src/domain/username-template';

/**
 * The deployment's configuration: one JSON file, chosen with `npx cdk synth -c config=<path>`.
 * Every field says what it does and its default; unknown fields are rejected so a typo can't silently fall back
 * to a default. `examples/frontline.config.example.json` is a complete, valid file.
 */

const OKTA_ID_TAIL = /^[0-9A-Za-z]{17}$/;
const oktaId = (prefix: string, what: string) =>
  z
    .string({ error: `must be an Okta ${what} id: "${prefix}" followed by 17 letters or digits` })
    .refine((v) => v.startsWith(prefix) && OKTA_ID_TAIL.test(v.slice(prefix.length)), {
      error: `must be an Okta ${what} id: "${prefix}" followed by 17 letters or digits`,
    });

/** `<n> minute(s) | hour(s) | day(s)`, the unit vocabulary of EventBridge Scheduler's `rate()`. */
const RATE = /^([1-9][0-9]*) (minute|minutes|hour|hours|day|days)$/;

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DeploymentConfigSchema = z.strictObject({
  /** CloudFormation stack name. @default "FrontlineOktaProvisioner" */
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, {
      error: 'must start with a letter and hold only letters, digits and hyphens (≤ 128 characters)',
    })
    .default('FrontlineOktaProvisioner'),
  /** The Okta org, e.g. `https://acme.okta.com`. Required. */
  oktaOrgUrl: z
    .url({
      protocol: /^https$/,
      error: 'must be the Okta org URL, https://<your-org>.okta.com (https only)',
    })
    .transform((v) => v.replace(/\/+$/, '')),
  /** The Okta group whose members get Frontline. Required unless `groupIds` names the groups. */
  groupId: oktaId('00g', 'group').optional(),
  /**
   * Several Frontline groups ("Frontline – Sales", "Frontline – Service"): a member of any of them is an agent,
   * leaving the last one takes access away; in group mode each is assigned to the app. Joined with `groupId`.
   */
  groupIds: z.array(oktaId('00g', 'group')).min(1).optional(),
  /** The Frontline SAML app. Required unless `bootstrap` is true (the stack then creates or adopts it). */
  appId: oktaId('0oa', 'app').optional(),
  /** Twilio Frontline Realm SID (Frontline console → Manage → SSO/Log in). Required. */
  realmSid: z
    .string({ error: 'must be a Frontline Realm SID: "JB" followed by 32 hex digits' })
    .regex(REALM_SID_PATTERN, { error: 'must be a Frontline Realm SID: "JB" followed by 32 hex digits' }),
  /** Label of the SAML app when bootstrap creates it, and how it is found by label. @default "Twilio Frontline" */
  appLabel: z.string().min(1).max(100).default('Twilio Frontline'),
  /**
   * Okta expression for the app username, as the worker understands it (src/domain/username-template.ts):
   * `${source.email}`, `${source.login}`, `${fn:substringBefore(source.login, "@")}`… Setting it pins the app's
   * template (drift is reported, repaired only on request); unset, the app's own template is the admin's choice and
   * assignments take the username it gives. @default undefined (a new app gets "${source.email}")
   */
  usernameTemplate: z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseUserNameTemplate(value);
      } catch (error) {
        if (!(error instanceof UserNameTemplateError)) throw error;
        ctx.addIssue({
          code: 'custom',
          message: `must be an Okta username expression such as \${source.email} or \${source.login} (${error.message})`,
        });
      }
    })
    .optional(),
  /** Clear `profile.userType` when a user loses Frontline (otherwise it is kept). @default false */
  clearUserTypeOnRemoval: z.boolean().optional(),
  /** How often the full reconcile runs, as `<n> minutes|hours|days`, at least 15 minutes. @default "1 hour" */
  reconcileRate: z
    .string()
    // At most 3 days: the ReconcileNotCompleted alarm waits two intervals, and CloudWatch evaluates at most 7 days.
    .refine((v) => RATE.test(v) && rateMinutes(v) >= 15 && rateMinutes(v) <= 3 * 1440, {
      error:
        'must be "<n> minutes", "<n> hours" or "<n> days" (e.g. "1 hour"), at least 15 minutes and at most 3 days',
    })
    .default('1 hour'),
  /** What the reconcile does with a drifted SAML app: `repair` it, or only `report` (alarm). @default "report" */
  appCheckMode: z.enum(['repair', 'report'], { error: 'must be "repair" or "report"' }).default('report'),
  /**
   * Receives of a work item before it is parked in the dead-letter queue. A rate-limited item goes back to the
   * queue until Okta's bucket resets, and SQS counts that as a receive too; the worker spreads repeat bounces over
   * up to 16 windows (src/worker/retry-delay.ts), so 20 receives cover a backlog of hours, and 5xx retries back
   * off exponentially up to 15 minutes.
   * @default 20
   */
  maxReceiveCount: z.number().int().min(1).max(1000).default(20),
  /**
   * Concurrent worker invocations. Okta allows 15–75 in-flight requests per org and the apps bucket is
   * 100/min, so a small number suffices; SQS event sources accept 2 at least. @default 2
   */
  workerMaxConcurrency: z.number().int().min(2).max(20).default(2),
  /** Share of current assignments a reconcile may remove before the mass-removal guard trips. @default 0.1 */
  massRemovalMaxShare: z.number().min(0).max(1).optional(),
  /** Remove app assignments of users who were never in the group (added by hand); otherwise only reported. @default false */
  pruneUnmanaged: z.boolean().optional(),
  /**
   * What a suspension does to Frontline access: `keep` the assignment (Okta retains it and blocks sign-in; a live
   * Frontline session is not ended) or `remove` it (suspension takes access away, as for a leaver). @default "remove"
   */
  suspendedPolicy: z.enum(SUSPENDED_POLICIES, { error: 'must be "keep" or "remove"' }).optional(),
  /**
   * How members get the app: `user` assigns each member (one apps-bucket call per joiner and leaver) or `group` has
   * the Frontline groups assigned to the app so Okta follows joiners and leavers (docs/design.md, "Assignment
   * mode"). @default "user"
   */
  assignmentMode: z.enum(ASSIGNMENT_MODES, { error: 'must be "user" or "group"' }).optional(),
  /** Email subscribed to the alarm topic. @default no subscription (subscribe later in SNS) */
  alarmEmail: z.email({ error: 'must be an email address' }).optional(),
  /**
   * Create or adopt the Frontline SAML app and register + verify the event hook during deploy. Needs the
   * Okta credentials secret to hold a value first (deploy once with false, put the secret, then set true).
   * @default false
   */
  bootstrap: z.boolean().default(false),
  /**
   * Complete ARN of an existing Secrets Manager secret holding the Okta credentials (same JSON as the stack's own).
   * Lets bootstrap run on the first deploy. The stack only reads it. @default the stack creates an empty secret
   */
  existingOktaCredentialsSecretArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, {
      error: 'must be the complete ARN of a Secrets Manager secret (ending in "-" and 6 characters)',
    })
    .optional(),
  /**
   * ARN of the customer-managed KMS key that encrypts `existingOktaCredentialsSecretArn`, if it is not the AWS
   * managed key. The Lambdas get `kms:Decrypt` on it, only through Secrets Manager. Requires
   * `existingOktaCredentialsSecretArn`. @default none (the AWS managed key aws/secretsmanager)
   */
  existingOktaCredentialsKmsKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, {
      error: 'must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<key id>; not an alias)',
    })
    .optional(),
  /** Header in which Okta sends the event-hook secret. @default "Authorization" */
  hookAuthHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be an HTTP header name (letters, digits, hyphens)' })
    .default('Authorization'),
  /** Largest event-hook body accepted, in bytes. @default 1048576 (1 MB) */
  maxEventHookBodyBytes: z.number().int().min(1024).max(6_000_000).default(1_048_576),
  /** API Gateway stage throttling (steady requests/s and burst). @default { rateLimit: 50, burstLimit: 100 } */
  apiThrottle: z
    .strictObject({
      rateLimit: z.number().int().min(1).max(10_000),
      burstLimit: z.number().int().min(1).max(5_000),
    })
    .default({ rateLimit: 50, burstLimit: 100 }),
  /** Days the stack's log groups keep logs (a CloudWatch Logs retention value). @default 90 */
  logRetentionDays: z
    .number()
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
      error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(90),
  /**
   * SHA-256 fingerprint (hex pairs, ':'-separated, as `npm run cli -- setup` prints it) of the signing certificate
   * pasted into Frontline's console. The reconcile raises CertificateChanged while Okta's active certificate
   * differs. @default the bootstrap's certificate when bootstrap is on; otherwise none (no change detection)
   */
  confirmedCertificateSha256: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, {
      error: 'must be a SHA-256 fingerprint: 32 hex pairs separated by ":" (npm run cli -- setup prints it)',
    })
    .transform((v) => v.toUpperCase())
    .optional(),
  /** Alarm when the SAML signing certificate expires within this many days. @default 30 */
  certificateExpiryWarningDays: z.number().int().min(1).max(365).default(30),
  /** Tags put on every resource. @default {} */
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
});
export type DeploymentConfig = z.infer<typeof DeploymentConfigSchema>;

/** The deployment file can't be used; one line per problem. */
export class DeploymentConfigError extends BaseConfigError {
  public constructor(source: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(
      `Invalid deployment configuration ${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      problems,
      options,
    );
    this.name = 'ConfigError';
  }
}
/** Kept under its old name for callers (bin/app.ts, tests). */
export { DeploymentConfigError as ConfigError };

/** Minutes in a `reconcileRate` string (assumed to match RATE). */
export function rateMinutes(rate: string): number {
  const m = RATE.exec(rate);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  return unit.startsWith('minute') ? n : unit.startsWith('hour') ? n * 60 : n * 1440;
}

/** Validates already-parsed JSON; throws a ConfigError with one line per problem. */
export function parseDeploymentConfig(input: unknown, source = '(inline)'): DeploymentConfig {
  const parsed = DeploymentConfigSchema.safeParse(input);
  const problems = parsed.success
    ? crossFieldProblems(parsed.data)
    : [...describeProblems(parsed.error, input), ...missingAppIdProblem(input)];
  if (!parsed.success || problems.length > 0) throw new DeploymentConfigError(source, problems);
  return parsed.data;
}

/** Reads and validates the file; a missing file or bad JSON is a ConfigError too. */
export function loadDeploymentConfig(path: string | undefined): DeploymentConfig {
  if (!path) {
    throw new DeploymentConfigError('(none given)', [
      'config: (missing) — pass the configuration file: npx cdk synth -c config=<path> (see examples/frontline.config.example.json)',
    ]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new DeploymentConfigError(path, [`config: ${JSON.stringify(path)} — cannot be read (${code})`], {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DeploymentConfigError(
      path,
      [`config: ${JSON.stringify(path)} — is not valid JSON (${(error as Error).message})`],
      {
        cause: error,
      },
    );
  }
  return parseDeploymentConfig(json, path);
}

/**
 * The deployment's policy: the groups and the policy fields the file sets, every other field at the policy's own
 * default (src/domain/policy.ts), as the Lambdas resolve it from the environment this becomes.
 */
export function deploymentPolicy(config: DeploymentConfig): Policy {
  return resolvePolicy({
    groupIds: [...(config.groupId ? [config.groupId] : []), ...(config.groupIds ?? [])],
    assignmentMode: config.assignmentMode,
    suspendedPolicy: config.suspendedPolicy,
    clearUserTypeOnRemoval: config.clearUserTypeOnRemoval,
    pruneUnmanaged: config.pruneUnmanaged,
    pinnedUserNameTemplate: config.usernameTemplate,
    maxRemovalShare: config.massRemovalMaxShare,
  });
}

const MISSING_GROUP =
  'groupId: (missing) — required unless "groupIds" names the groups (the Okta group whose members get Frontline, "00g…")';

const MISSING_APP_ID =
  'appId: (missing) — required unless "bootstrap" is true (the Frontline SAML app id, "0oa…")';

/** Reported beside schema problems too, so a first run lists everything at once. */
function missingAppIdProblem(input: unknown): string[] {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  return [
    ...(record.bootstrap !== true && record.appId === undefined ? [MISSING_APP_ID] : []),
    ...(record.groupId === undefined && record.groupIds === undefined ? [MISSING_GROUP] : []),
  ];
}

function crossFieldProblems(config: DeploymentConfig): string[] {
  const problems: string[] = [];
  if (!config.bootstrap && config.appId === undefined) problems.push(MISSING_APP_ID);
  if (config.groupId === undefined && config.groupIds === undefined) problems.push(MISSING_GROUP);
  if (config.existingOktaCredentialsKmsKeyArn && !config.existingOktaCredentialsSecretArn) {
    problems.push(
      'existingOktaCredentialsKmsKeyArn: set — only applies with existingOktaCredentialsSecretArn (the stack encrypts its own secret with the AWS managed key)',
    );
  }
  if (config.apiThrottle.burstLimit < config.apiThrottle.rateLimit) {
    problems.push(
      `apiThrottle.burstLimit: ${config.apiThrottle.burstLimit} — must be at least apiThrottle.rateLimit (${config.apiThrottle.rateLimit})`,
    );
  }
  return problems;
}

/** `field: value — what's allowed`, one line per problem; unknown fields are listed one by one. */
function describeProblems(error: z.ZodError, input: unknown): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(shapeAt(path)).join(', ');
      for (const key of issue.keys) {
        lines.push(`${[...path, key].join('.')}: unknown field — allowed fields: ${known}`);
      }
      continue;
    }
    const field = path.length ? path.join('.') : '(root)';
    const value = valueAt(input, path);
    lines.push(`${field}: ${value === undefined ? '(missing)' : show(value)} — ${issue.message}`);
  }
  return lines;
}

function shapeAt(path: string[]): Record<string, unknown> {
  if (path.length === 0) return DeploymentConfigSchema.shape;
  if (path[0] === 'apiThrottle') return { rateLimit: 0, burstLimit: 0 };
  return {};
}

function valueAt(input: unknown, path: string[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
