import { z } from 'zod';
import {
  ComponentConfigError,
  oktaLambdaEnvShape,
  optionalString,
  problemsOf,
  requiredString,
  withLegacyNames,
  oktaLambdaSettingsOf,
} from '../config/env-schema';
import { policyEnvShape, readPolicy } from '../config/policy-env';
import { certificateEnvShape, certificateExpiryWarningDaysOf } from '../config/certificate-env';
import { appRulesFor, DEFAULT_APP_LABEL, type AppConfigRules } from '../domain/app-config';
import { RealmSidError } from '../domain/errors';
import type { Policy } from '../domain/policy';

/** The scheduled reconcile Lambda's settings, named as the infrastructure sets them. */
export interface ReconcileLambdaConfig {
  orgUrl: string;
  credentialsSecretArn: string;
  appId: string;
  policy: Policy;
  workQueueUrl: string;
  rules: AppConfigRules;
  mode: 'repair' | 'report';
  /** The certificate fingerprint last pasted into Frontline (src/app-guard/fingerprint-store.ts). */
  confirmedFingerprint: string | undefined;
  /** The records table holding the confirmed certificate (`check --confirm-certificate --records-table`). */
  recordsTableName: string | undefined;
  /** The certificate-expiry warning window: the deployment's `certificateExpiryWarningDays`, the alarm's threshold. */
  certificateExpiryWarningDays: number;
}

export class ReconcileConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('reconcile', problems);
    this.name = 'ReconcileConfigError';
  }
}

/** The defaults loadReconcileLambdaConfig applies, quoted by ReconcileEnvSchema's descriptions. */
export const RECONCILE_LAMBDA_DEFAULTS = { appGuardMode: 'report' } as const;

/** The reconcile Lambda's variables, each with its description (docs/configuration.md: `npm run docs`). */
export const ReconcileEnvSchema = z.object({
  ...oktaLambdaEnvShape,
  ...policyEnvShape,
  FRONTLINE_REALM_SID: requiredString('the Frontline Realm SID, JB…').describe(
    'The Frontline Realm SID (`JB…`) the expected app settings are built from. Required.',
  ),
  WORK_QUEUE_URL: requiredString('the worker’s SQS FIFO queue URL').describe(
    'The worker’s SQS FIFO queue, where the reconcile puts the changes it finds. Required.',
  ),
  FRONTLINE_APP_LABEL: optionalString.describe(
    `The label the app check expects the app to have. Default: \`${DEFAULT_APP_LABEL}\`.`,
  ),
  APP_GUARD_MODE: optionalString
    .pipe(z.enum(['repair', 'report'], { error: 'must be "repair" or "report"' }).optional())
    .describe(
      'What the reconcile does with a drifted SAML app: `repair` it, or only `report` it (alarm). ' +
        `Default: \`${RECONCILE_LAMBDA_DEFAULTS.appGuardMode}\`.`,
    ),
  FRONTLINE_CERT_FINGERPRINT: optionalString.describe(
    "SHA-256 fingerprint of the signing certificate last pasted into Frontline's console; CertificateChanged is " +
      'raised while Okta’s active certificate differs. One confirmed later in RECORDS_TABLE_NAME takes precedence.',
  ),
  RECORDS_TABLE_NAME: optionalString.describe(
    'The records table holding the certificate confirmed since the deploy (`check --confirm-certificate ' +
      '--records-table`).',
  ),
  ...certificateEnvShape,
});

/** Reads the Lambda's environment once (cold start); throws naming every bad variable, never echoing a value. */
export function loadReconcileLambdaConfig(env: NodeJS.ProcessEnv): ReconcileLambdaConfig {
  const parsed = ReconcileEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const policy = readPolicy(withLegacyNames(env), problems, { requireGroup: true });
  let rules: AppConfigRules | undefined;
  if (parsed.success && policy) {
    try {
      rules = appRulesFor(parsed.data.FRONTLINE_REALM_SID, policy, parsed.data.FRONTLINE_APP_LABEL);
    } catch (err) {
      if (!(err instanceof RealmSidError)) throw err;
      problems.push('FRONTLINE_REALM_SID must be "JB" followed by 32 hex digits');
    }
  }
  if (!parsed.success || !policy || !rules || problems.length > 0) throw new ReconcileConfigError(problems);
  const d = parsed.data;
  return {
    ...oktaLambdaSettingsOf(d),
    policy,
    workQueueUrl: d.WORK_QUEUE_URL,
    rules,
    mode: d.APP_GUARD_MODE ?? RECONCILE_LAMBDA_DEFAULTS.appGuardMode,
    confirmedFingerprint: d.FRONTLINE_CERT_FINGERPRINT,
    recordsTableName: d.RECORDS_TABLE_NAME,
    certificateExpiryWarningDays: certificateExpiryWarningDaysOf(d),
  };
}
