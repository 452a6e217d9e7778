// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the bundles never use.
import * as z from 'zod';
import { ComponentConfigError, optionalString, problemsOf } from '../config/env-schema';

/** Twilio's production host for the Frontline Users API (twilio-oai `twilio_frontline_v1.json`, `servers`). */
export const DEFAULT_FRONTLINE_API_URL = 'https://frontline-api.twilio.com';

/**
 * How we authenticate to Twilio: HTTP Basic with the account SID and its auth token, or a Standard API key's SID
 * and secret (https://www.twilio.com/docs/iam/api-keys). With an API key twilio-node still needs the account SID
 * (`twilio(keySid, secret, { accountSid })`; it refuses a key SID as the account), so both kinds carry it.
 */
export type TwilioCredentials =
  | { kind: 'auth-token'; accountSid: string; authToken: string }
  | { kind: 'api-key'; accountSid: string; apiKeySid: string; apiKeySecret: string };

/** Frontline offboarding is off unless Twilio credentials are configured; off, the product behaves as before. */
export type FrontlineConfig =
  { enabled: false } | { enabled: true; apiUrl: string; credentials: TwilioCredentials };

export class FrontlineConfigError extends ComponentConfigError {
  public constructor(problems: string[]) {
    super('Frontline', problems);
    this.name = 'FrontlineConfigError';
  }
}

export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;
export const API_KEY_SID_PATTERN = /^SK[0-9a-fA-F]{32}$/;

/** A base URL: http(s), no credentials, path, query or fragment (they would end up in every request). */
export const FrontlineApiUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://frontline-api.twilio.com' })
  .refine(
    (v) => {
      const u = new URL(v);
      return u.username === '' && u.password === '' && u.search === '' && u.hash === '' && u.pathname === '/';
    },
    { error: 'must be a bare origin (scheme, host, optional port): no path, query or user info' },
  )
  .transform((v) => v.replace(/\/+$/, ''));

/** FRONTLINE_API_URL, read by `serve` and by the Lambdas (./lambda-config.ts) alike. */
export const frontlineApiUrlEnv = optionalString
  .pipe(FrontlineApiUrlSchema.optional())
  .describe(
    'The Frontline Users API origin (the emulator’s URL in tests and demos). ' +
      `Default: \`${DEFAULT_FRONTLINE_API_URL}\`.`,
  );

/** `serve`'s Twilio variables, each with its description (docs/configuration.md: `npm run docs`). */
export const FrontlineEnvSchema = z
  .object({
    TWILIO_ACCOUNT_SID: optionalString
      .pipe(
        z
          .string()
          .regex(ACCOUNT_SID_PATTERN, { error: 'must be an account SID: AC followed by 32 hex digits' })
          .optional(),
      )
      .describe(
        'The Twilio account SID (`AC` + 32 hex digits). With TWILIO_AUTH_TOKEN, or TWILIO_API_KEY + ' +
          'TWILIO_API_SECRET, it turns on ending leavers’ Frontline sessions; unset, that is off.',
      ),
    TWILIO_AUTH_TOKEN: optionalString.describe(
      'The account’s auth token: one of the two Twilio credentials (not together with an API key).',
    ),
    TWILIO_API_KEY: optionalString
      .pipe(
        z
          .string()
          .regex(API_KEY_SID_PATTERN, { error: 'must be an API key SID: SK followed by 32 hex digits' })
          .optional(),
      )
      .describe(
        'The SID of a Standard API key (`SK` + 32 hex digits), used with TWILIO_API_SECRET: the least access, ' +
          'preferred to the auth token.',
      ),
    TWILIO_API_SECRET: optionalString.describe('The secret of the API key named by TWILIO_API_KEY.'),
    FRONTLINE_API_URL: frontlineApiUrlEnv,
  })
  .superRefine((env, ctx) => {
    const problem = (variable: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [variable], message });
    const anyCredential =
      env.TWILIO_ACCOUNT_SID ?? env.TWILIO_AUTH_TOKEN ?? env.TWILIO_API_KEY ?? env.TWILIO_API_SECRET;
    if (anyCredential === undefined) {
      if (env.FRONTLINE_API_URL !== undefined) {
        problem(
          'FRONTLINE_API_URL',
          'is set but no Twilio credentials are: set TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or with TWILIO_API_KEY + TWILIO_API_SECRET',
        );
      }
      return;
    }
    if (env.TWILIO_AUTH_TOKEN !== undefined && (env.TWILIO_API_KEY ?? env.TWILIO_API_SECRET) !== undefined) {
      problem(
        'TWILIO_AUTH_TOKEN',
        'is set together with TWILIO_API_KEY/TWILIO_API_SECRET: configure one credential, not both',
      );
      return;
    }
    if (env.TWILIO_API_KEY !== undefined && env.TWILIO_API_SECRET === undefined) {
      problem('TWILIO_API_SECRET', 'is required with TWILIO_API_KEY (the API key secret)');
    }
    if (env.TWILIO_API_SECRET !== undefined && env.TWILIO_API_KEY === undefined) {
      problem('TWILIO_API_KEY', 'is required with TWILIO_API_SECRET (the API key SID, SK…)');
    }
    if (env.TWILIO_ACCOUNT_SID === undefined) {
      problem(
        'TWILIO_ACCOUNT_SID',
        env.TWILIO_AUTH_TOKEN !== undefined
          ? 'is required with TWILIO_AUTH_TOKEN (the account SID, AC…)'
          : 'is required with an API key too (the account SID, AC…, the key belongs to)',
      );
    } else if (
      env.TWILIO_AUTH_TOKEN === undefined &&
      env.TWILIO_API_KEY === undefined &&
      env.TWILIO_API_SECRET === undefined
    ) {
      problem(
        'TWILIO_ACCOUNT_SID',
        'is set without a credential: add TWILIO_AUTH_TOKEN, or TWILIO_API_KEY + TWILIO_API_SECRET',
      );
    }
  });

/**
 * Reads the Frontline settings once at start. Throws FrontlineConfigError with one line per problem; the lines
 * name variables, never their values (zod's messages name the rule, not the input).
 */
export function loadFrontlineConfig(env: NodeJS.ProcessEnv): FrontlineConfig {
  const parsed = FrontlineEnvSchema.safeParse(env);
  if (!parsed.success) throw new FrontlineConfigError(problemsOf(parsed.error));
  const d = parsed.data;
  if (d.TWILIO_ACCOUNT_SID === undefined) return { enabled: false };
  const apiUrl = d.FRONTLINE_API_URL ?? DEFAULT_FRONTLINE_API_URL;
  if (d.TWILIO_AUTH_TOKEN !== undefined) {
    return {
      enabled: true,
      apiUrl,
      credentials: { kind: 'auth-token', accountSid: d.TWILIO_ACCOUNT_SID, authToken: d.TWILIO_AUTH_TOKEN },
    };
  }
  return {
    enabled: true,
    apiUrl,
    credentials: {
      kind: 'api-key',
      accountSid: d.TWILIO_ACCOUNT_SID,
      apiKeySid: d.TWILIO_API_KEY!,
      apiKeySecret: d.TWILIO_API_SECRET!,
    },
  };
}

/**
 * The JSON an operator stores in the Secrets Manager secret on AWS: the same two shapes, camel-cased. A parse
 * failure names the field, never its value.
 */
export const TwilioCredentialsSecretSchema = z.union([
  z.object({
    accountSid: z.string().regex(ACCOUNT_SID_PATTERN, { error: 'must be AC followed by 32 hex digits' }),
    authToken: z.string().min(1),
  }),
  z.object({
    accountSid: z.string().regex(ACCOUNT_SID_PATTERN, { error: 'must be AC followed by 32 hex digits' }),
    apiKeySid: z.string().regex(API_KEY_SID_PATTERN, { error: 'must be SK followed by 32 hex digits' }),
    apiKeySecret: z.string().min(1),
  }),
]);
export type TwilioCredentialsSecret = z.infer<typeof TwilioCredentialsSecretSchema>;

/** The stored secret as credentials; throws FrontlineConfigError naming the fields that are wrong. */
export function credentialsFromSecret(value: unknown): TwilioCredentials {
  const parsed = TwilioCredentialsSecretSchema.safeParse(value);
  if (!parsed.success) {
    throw new FrontlineConfigError([
      'the Twilio credentials secret must be {"accountSid","authToken"} or {"accountSid","apiKeySid","apiKeySecret"}',
    ]);
  }
  const s = parsed.data;
  return 'authToken' in s
    ? { kind: 'auth-token', accountSid: s.accountSid, authToken: s.authToken }
    : { kind: 'api-key', accountSid: s.accountSid, apiKeySid: s.apiKeySid, apiKeySecret: s.apiKeySecret };
}
