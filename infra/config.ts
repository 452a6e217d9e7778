import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError as BaseConfigError } from '../src/config/errors';
import { ASSIGNMENT_MODES, resolvePolicy, SUSPENDED_POLICIES } from '../src/domain/policy';
import { REALM_SID_PATTERN } from '../src/domain/realm-sid';
import { DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS } from '../src/domain/signing-certificate';
import { DEFAULT_MAX_RECEIVE_COUNT, PARKED_RECEIVES } from '../src/worker/outage-hold';
import {
  DEFAULT_USERNAME_TEMPLATE,
  parseUserNameTemplate,
  UserNameTemplateError,
} from '../src/domain/username-template';
import { describeProblems } from './config-problems';

/**
 * The deployment's configuration: one JSON file, chosen with `npx cdk synth -c config=<path>`. Every field describes
 * itself (`.describe()`: docs/configuration.md is generated from it) and its default; unknown fields are rejected so
 * a typo can't silently fall back to a default. `examples/frontline.config.example.json` is a complete, valid file.
 */

const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** The policy's defaults, as resolvePolicy applies them (deploymentPolicy), quoted by the descriptions below. */
const POLICY = resolvePolicy({ groupIds: [] });

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
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, {
      error: 'must start with a letter and hold only letters, digits and hyphens (≤ 128 characters)',
    })
    .default('FrontlineOktaProvisioner')
    .describe('CloudFormation stack name.'),
  oktaOrgUrl: z
    .url({ protocol: /^https$/, error: 'must be the Okta org URL, https://<your-org>.okta.com (https only)' })
    .transform((v) => v.replace(/\/+$/, ''))
    .describe('The Okta org, e.g. `https://acme.okta.com`. Required.'),
  groupId: oktaId('00g', 'group')
    .optional()
    .describe('The Okta group whose members get Frontline. Required unless `groupIds` names the groups.'),
  groupIds: z
    .array(oktaId('00g', 'group'))
    .min(1)
    .optional()
    .describe(
      'Several Frontline groups ("Frontline – Sales", "Frontline – Service"): a member of any of them is an agent, ' +
        'leaving the last one takes access away; in group mode each is assigned to the app. Joined with `groupId`. ' +
        'Default: none (`groupId` alone).',
    ),
  appId: oktaId('0oa', 'app')
    .optional()
    .describe(
      'The Frontline SAML app. Required unless `bootstrap` is true (the stack then creates or adopts it).',
    ),
  realmSid: z
    .string({ error: 'must be a Frontline Realm SID: "JB" followed by 32 hex digits' })
    .regex(REALM_SID_PATTERN, { error: 'must be a Frontline Realm SID: "JB" followed by 32 hex digits' })
    .describe('Twilio Frontline Realm SID (Frontline console → Manage → SSO/Log in). Required.'),
  appLabel: z
    .string()
    .min(1)
    .max(100)
    .default('Twilio Frontline')
    .describe('Label of the SAML app when bootstrap creates it, and how it is found by label.'),
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
    .optional()
    .describe(
      'Okta expression for the app username, as the worker understands it (src/domain/username-template.ts): ' +
        '`${source.email}`, `${source.login}`, `${fn:substringBefore(source.login, "@")}`… Setting it pins the ' +
        "app's template (drift is reported, repaired only on request); unset, the app's own template is the admin's " +
        'choice and assignments take the username it gives. ' +
        `Default: unset (a new app gets \`${DEFAULT_USERNAME_TEMPLATE}\`).`,
    ),
  clearUserTypeOnRemoval: z
    .boolean()
    .optional()
    .describe(
      'Clear `profile.userType` when a user loses Frontline (otherwise it is kept). ' +
        `Default: \`${POLICY.clearUserTypeOnRemoval}\`.`,
    ),
  reconcileRate: z
    .string()
    // At most 3 days: the ReconcileNotCompleted alarm waits two intervals, and CloudWatch evaluates at most 7 days.
    .refine((v) => RATE.test(v) && rateMinutes(v) >= 15 && rateMinutes(v) <= 3 * 1440, {
      error:
        'must be "<n> minutes", "<n> hours" or "<n> days" (e.g. "1 hour"), at least 15 minutes and at most 3 days',
    })
    .default('1 hour')
    .describe('How often the full reconcile runs, as `<n> minutes|hours|days`, at least 15 minutes.'),
  appCheckMode: z
    .enum(['repair', 'report'], { error: 'must be "repair" or "report"' })
    .default('report')
    .describe('What the reconcile does with a drifted SAML app: `repair` it, or only `report` (alarm).'),
  maxReceiveCount: int(1, 1000)
    .default(DEFAULT_MAX_RECEIVE_COUNT)
    .describe(
      'Receives of a work item before it is parked in the dead-letter queue. A rate-limited item goes back to the ' +
        "queue until Okta's bucket resets, and SQS counts that as a receive too; the worker spreads repeat bounces " +
        'over up to 16 windows (src/worker/retry-delay.ts). Through an Okta outage each receive holds the item ' +
        `about 40 s, tried every few seconds, so it converges within seconds of recovery; only its last ` +
        `${PARKED_RECEIVES} receives back off exponentially up to 15 minutes (src/worker/outage-hold.ts): the ` +
        'default holds about 35 minutes, then parks about 50 more.',
    ),
  workerMaxConcurrency: int(2, 20)
    .default(2)
    .describe(
      'Concurrent worker invocations. Okta allows 15–75 in-flight requests per org and the apps bucket is ' +
        '100/min, so a small number suffices; SQS event sources accept 2 at least.',
    ),
  massRemovalMaxShare: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      'Share of current assignments a reconcile may remove before the mass-removal guard trips. ' +
        `Default: \`${POLICY.maxRemovalShare}\`.`,
    ),
  massGrantMaxShare: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      "Share of the Frontline groups' members a reconcile may grant Frontline to before the mass-grant guard trips " +
        `(the first backfill is confirmed once with \`reconcile --allow-mass-grant\`). Default: \`${POLICY.maxGrantShare}\`.`,
    ),
  pruneUnmanaged: z
    .boolean()
    .optional()
    .describe(
      'Remove app assignments of users who were never in the group (added by hand); otherwise only reported. ' +
        `Default: \`${POLICY.pruneUnmanaged}\`.`,
    ),
  suspendedPolicy: z
    .enum(SUSPENDED_POLICIES, { error: 'must be "keep" or "remove"' })
    .optional()
    .describe(
      'What a suspension does to Frontline access: `keep` the assignment (Okta retains it and blocks sign-in; a ' +
        'live Frontline session is not ended) or `remove` it (suspension takes access away, as for a leaver). ' +
        `Default: \`${POLICY.suspendedPolicy}\`.`,
    ),
  assignmentMode: z
    .enum(ASSIGNMENT_MODES, { error: 'must be "user" or "group"' })
    .optional()
    .describe(
      'How members get the app: `user` assigns each member (one apps-bucket call per joiner and leaver) or `group` ' +
        'has the Frontline groups assigned to the app so Okta follows joiners and leavers (docs/design.md, ' +
        `"Assignment mode"). Default: \`${POLICY.assignmentMode}\`.`,
    ),
  alarmEmail: z
    .email({ error: 'must be an email address' })
    .optional()
    .describe('Email subscribed to the alarm topic. Default: no subscription (subscribe later in SNS).'),
  bootstrap: z
    .boolean()
    .default(false)
    .describe(
      'Create or adopt the Frontline SAML app and register + verify the event hook during deploy. Needs the Okta ' +
        'credentials secret to hold a value first (deploy once with false, put the secret, then set true).',
    ),
  existingOktaCredentialsSecretArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, {
      error: 'must be the complete ARN of a Secrets Manager secret (ending in "-" and 6 characters)',
    })
    .optional()
    .describe(
      "Complete ARN of an existing Secrets Manager secret holding the Okta credentials (same JSON as the stack's " +
        'own). Lets bootstrap run on the first deploy. The stack only reads it. ' +
        'Default: the stack creates an empty secret.',
    ),
  existingOktaCredentialsKmsKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, {
      error: 'must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<key id>; not an alias)',
    })
    .optional()
    .describe(
      'ARN of the customer-managed KMS key that encrypts `existingOktaCredentialsSecretArn`, if it is not the AWS ' +
        'managed key. The Lambdas get `kms:Decrypt` on it, only through Secrets Manager. Requires ' +
        '`existingOktaCredentialsSecretArn`. Default: none (the AWS managed key aws/secretsmanager).',
    ),
  hookAuthHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be an HTTP header name (letters, digits, hyphens)' })
    .default('Authorization')
    .describe('Header in which Okta sends the event-hook secret.'),
  maxEventHookBodyBytes: int(1024, 6_000_000)
    .default(1_048_576)
    .describe('Largest event-hook body accepted, in bytes.'),
  apiThrottle: z
    .strictObject({ rateLimit: int(1, 10_000), burstLimit: int(1, 5_000) })
    .default({ rateLimit: 50, burstLimit: 100 })
    .describe('API Gateway stage throttling: `rateLimit` steady requests/s and `burstLimit` burst.'),
  logRetentionDays: z
    .number()
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
      error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(90)
    .describe("Days the stack's log groups keep logs (a CloudWatch Logs retention value)."),
  confirmedCertificateSha256: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, {
      error: 'must be a SHA-256 fingerprint: 32 hex pairs separated by ":" (npm run cli -- setup prints it)',
    })
    .transform((v) => v.toUpperCase())
    .optional()
    .describe(
      "SHA-256 fingerprint (hex pairs, ':'-separated, as `npm run cli -- setup` prints it) of the signing " +
        "certificate pasted into Frontline's console. The reconcile raises CertificateChanged while Okta's active " +
        "certificate differs. Default: the bootstrap's certificate when bootstrap is on; otherwise none (no " +
        'change detection).',
    ),
  certificateExpiryWarningDays: int(1, 365)
    .default(DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS)
    .describe(
      'Alarm (CertificateExpiring) when the SAML signing certificate expires within this many days; the reconcile ' +
        'function reports the certificate from the same day on (its CERTIFICATE_EXPIRY_WARNING_DAYS).',
    ),
  tags: z
    .record(z.string().min(1).max(128), z.string().max(256))
    .default({})
    .describe('Tags put on every resource.'),
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
    : [...describeProblems(parsed.error, input, DeploymentConfigSchema), ...missingAppIdProblem(input)];
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
      { cause: error },
    );
  }
  return parseDeploymentConfig(json, path);
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
