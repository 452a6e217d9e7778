// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the receiver bundle never uses.
import * as z from 'zod';
import {
  ComponentConfigError,
  optionalString,
  problemsOf,
  requiredString,
  withLegacyNames,
} from '../config/env-schema';
import { GROUP_REQUIRED, groupIdsOf, policyEnvShape } from '../config/policy-env';
import { DEFAULT_AUTH_HEADER, DEFAULT_MAX_BODY_BYTES } from './receiver';

/** The receiver Lambda's settings, named as the infrastructure sets them. */
export interface ReceiverConfig {
  /** The Frontline groups whose membership events are work. */
  groupIds: readonly string[];
  appId: string | undefined;
  queueUrl: string;
  hookSecretArn: string;
  headerName: string;
  maxBodyBytes: number;
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

export const ReceiverEnvSchema = z.object({
  FRONTLINE_GROUP_ID: policyEnvShape.FRONTLINE_GROUP_ID,
  FRONTLINE_GROUP_IDS: policyEnvShape.FRONTLINE_GROUP_IDS,
  FRONTLINE_APP_ID: optional,
  WORK_QUEUE_URL: required('the SQS FIFO queue for work items').pipe(
    z.url({ protocol: /^https?$/, error: 'must be an SQS queue URL' }).refine((u) => u.endsWith('.fifo'), {
      error: 'must be the URL of a FIFO queue (ending in .fifo)',
    }),
  ),
  HOOK_SECRET_ARN: required('the Secrets Manager secret holding the event hook secret'),
  OKTA_HOOK_AUTH_HEADER: optional.pipe(
    z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'must be an HTTP header name' })
      .optional(),
  ),
  MAX_BODY_BYTES: optional.pipe(
    z.coerce
      .number<string | undefined>({ error: 'must be a whole number of bytes' })
      .int({ error: 'must be a whole number of bytes' })
      .min(1024, { error: 'must be at least 1024' })
      .max(10 * 1024 * 1024, { error: 'must be at most 10485760 (API Gateway allows no more)' })
      .optional(),
  ),
  APP_CHECK_FUNCTION_NAME: optional,
});

/** Reads the receiver's environment once (cold start); throws naming every bad variable. */
export function loadReceiverConfig(env: NodeJS.ProcessEnv): ReceiverConfig {
  const parsed = ReceiverEnvSchema.safeParse(withLegacyNames(env));
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const groupIds = parsed.success ? groupIdsOf(parsed.data) : [];
  if (parsed.success && groupIds.length === 0) problems.push(GROUP_REQUIRED);
  if (!parsed.success || problems.length > 0) throw new ReceiverConfigError(problems);
  const d = parsed.data;
  return {
    groupIds,
    appId: d.FRONTLINE_APP_ID,
    queueUrl: d.WORK_QUEUE_URL,
    hookSecretArn: d.HOOK_SECRET_ARN,
    headerName: d.OKTA_HOOK_AUTH_HEADER ?? DEFAULT_AUTH_HEADER,
    maxBodyBytes: d.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES,
    appCheckFunctionName: d.APP_CHECK_FUNCTION_NAME,
  };
}
