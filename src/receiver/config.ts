// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import {
  ComponentConfigError,
  optionalString,
  problemsOf,
  requiredString,
  wholeNumber,
  withLegacyNames,
} from '../config/env-schema';
import { policyEnvShape, readGroupIds } from '../config/policy-env';
import { DEFAULT_AUTH_HEADER, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENTS_PER_DELIVERY } from './receiver';

/** The receiver Lambda's settings, named as the infrastructure sets them. */
export interface ReceiverConfig {
  /** The Frontline groups whose membership events are work. */
  groupIds: readonly string[];
  appId: string | undefined;
  queueUrl: string;
  hookSecretArn: string;
  headerName: string;
  maxBodyBytes: number;
  /** Events one delivery may carry; more are refused with 413 (src/receiver/receiver.ts). */
  maxEventsPerDelivery: number;
  /** The reconcile Lambda to invoke (asynchronously) for a prompt app check on application.lifecycle.* events. */
  appCheckFunctionName: string | undefined;
}

export class ReceiverConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('receiver', problems);
    this.name = 'ReceiverConfigError';
  }
}

const optional = optionalString;
const required = requiredString;

/** The receiver Lambda's variables, each with its description (docs/configuration.md: `npm run docs`). */
export const ReceiverEnvSchema = z.object({
  FRONTLINE_GROUP_ID: policyEnvShape.FRONTLINE_GROUP_ID,
  FRONTLINE_GROUP_IDS: policyEnvShape.FRONTLINE_GROUP_IDS,
  FRONTLINE_APP_ID: optional.describe(
    'The Frontline SAML app (`0oa…`), whose events are selected for a prompt app check. Unset: app events are ignored.',
  ),
  WORK_QUEUE_URL: required('the SQS FIFO queue for work items')
    .pipe(
      z.url({ protocol: /^https?$/, error: 'must be an SQS queue URL' }).refine((u) => u.endsWith('.fifo'), {
        error: 'must be the URL of a FIFO queue (ending in .fifo)',
      }),
    )
    .describe(
      'The worker’s SQS FIFO queue (its URL ends in `.fifo`), where accepted events become work items. Required.',
    ),
  HOOK_SECRET_ARN: required('the Secrets Manager secret holding the event hook secret').describe(
    'ARN of the Secrets Manager secret holding the event hook secret Okta sends, read at cold start. Required.',
  ),
  OKTA_HOOK_AUTH_HEADER: optional
    .pipe(
      z
        .string()
        .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'must be an HTTP header name' })
        .optional(),
    )
    .describe(`The header Okta sends the hook secret in. Default: \`${DEFAULT_AUTH_HEADER}\`.`),
  MAX_BODY_BYTES: optional
    .pipe(
      z.coerce
        .number<string | undefined>({ error: 'must be a whole number of bytes' })
        .int({ error: 'must be a whole number of bytes' })
        .min(1024, { error: 'must be at least 1024' })
        .max(10 * 1024 * 1024, { error: 'must be at most 10485760 (API Gateway allows no more)' })
        .optional(),
    )
    .describe(
      'The largest event hook body accepted, in bytes (1024 to 10485760; a larger one is refused with 413). ' +
        `Default: \`${DEFAULT_MAX_BODY_BYTES}\`.`,
    ),
  APP_CHECK_FUNCTION_NAME: optional.describe(
    'The reconcile function invoked (asynchronously) for a prompt app check on the app’s lifecycle events. ' +
      'Unset: the next scheduled reconcile covers them.',
  ),
  MAX_EVENTS_PER_DELIVERY: wholeNumber(1, 100_000).describe(
    'Events one delivery may carry; a larger one is refused with 413 and nothing is enqueued (the System Log ' +
      `catch-up still finds its events). Default: \`${DEFAULT_MAX_EVENTS_PER_DELIVERY}\`.`,
  ),
});

/** Reads the receiver's environment once (cold start); throws naming every bad variable. */
export function loadReceiverConfig(env: NodeJS.ProcessEnv): ReceiverConfig {
  const parsed = ReceiverEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const groupIds = readGroupIds(withLegacyNames(env), problems);
  if (!parsed.success || problems.length > 0) throw new ReceiverConfigError(problems);
  const d = parsed.data;
  return {
    groupIds,
    appId: d.FRONTLINE_APP_ID,
    queueUrl: d.WORK_QUEUE_URL,
    hookSecretArn: d.HOOK_SECRET_ARN,
    headerName: d.OKTA_HOOK_AUTH_HEADER ?? DEFAULT_AUTH_HEADER,
    maxBodyBytes: d.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES,
    maxEventsPerDelivery: d.MAX_EVENTS_PER_DELIVERY ?? DEFAULT_MAX_EVENTS_PER_DELIVERY,
    appCheckFunctionName: d.APP_CHECK_FUNCTION_NAME,
  };
}
