// Namespace import: lets esbuild drop the parts of zod (locales, JSON Schema) the bundles never use.
import * as z from 'zod';
import type { FrontlineState } from '../domain/frontline';
import type { TwilioCredentials } from './config';
import { FrontlinePermanentError } from './errors';

/**
 * A Frontline user as the Users API shows it (twilio-oai `spec/json/twilio_frontline_v1.json`,
 * `frontline.v1.user`; Twilio's Frontline "User Resource" page). Only users who signed in once exist.
 */
export interface FrontlineUser {
  sid: string;
  identity: string;
  friendlyName: string | null;
  avatar: string | null;
  state: FrontlineState;
  isAvailable: boolean | null;
}

/** The form fields we write (`State`, `FriendlyName`); the API also takes `Avatar` and `IsAvailable`. */
export interface FrontlineUserUpdate {
  state?: FrontlineState;
  friendlyName?: string;
}

/**
 * The port the worker and the reconcile use. `identity` is the user's Frontline identity (the SAML NameID, i.e.
 * the Okta app username), matched case-sensitively by Twilio. Both calls answer `undefined` for a user who never
 * signed in (404, Twilio 20404): that is a value, not an error. Failures are the classes in ./errors.
 */
export interface FrontlineUsers {
  get(identity: string): Promise<FrontlineUser | undefined>;
  update(identity: string, update: FrontlineUserUpdate): Promise<FrontlineUser | undefined>;
}

/** The JSON body of `GET/POST /v1/Users/{Sid}`; nullable as the spec says, unknown fields ignored. */
export const FrontlineUserJsonSchema = z.object({
  sid: z.string(),
  identity: z.string(),
  friendly_name: z.string().nullable().optional(),
  avatar: z.string().nullable().optional(),
  state: z.enum(['active', 'deactivated']),
  is_available: z.boolean().nullable().optional(),
});
export type FrontlineUserJson = z.infer<typeof FrontlineUserJsonSchema>;

export function frontlineUserFromJson(json: FrontlineUserJson): FrontlineUser {
  return {
    sid: json.sid,
    identity: json.identity,
    friendlyName: json.friendly_name ?? null,
    avatar: json.avatar ?? null,
    state: json.state,
    isAvailable: json.is_available ?? null,
  };
}

/** A 2xx body as a FrontlineUser; a body that is not one fails naming the field, never echoing the body. */
export function parseFrontlineUser(context: string, body: unknown): FrontlineUser {
  const parsed = FrontlineUserJsonSchema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new FrontlinePermanentError(
      `${context}: unexpected answer from the Frontline API (${field})`,
      'unexpected',
    );
  }
  return frontlineUserFromJson(parsed.data);
}

/**
 * The `{Sid}` path segment for an identity. twilio-node pastes it into the path as is and refuses `/` and `?`;
 * identities are usernames or emails (`+`, `'`, `#`, `%` are all legal), so it is percent-encoded.
 */
export const userPathSegment = (identity: string): string => encodeURIComponent(identity);

/** Basic credentials as Twilio takes them: account SID + auth token, or API key SID + secret. */
export function basicCredentials(credentials: TwilioCredentials): { username: string; password: string } {
  return credentials.kind === 'auth-token'
    ? { username: credentials.accountSid, password: credentials.authToken }
    : { username: credentials.apiKeySid, password: credentials.apiKeySecret };
}
