import twilio from 'twilio';
import type { TwilioCredentials } from './config';
import {
  frontlineHttpError,
  frontlineNetworkError,
  notFrontlineAnswer,
  notTwilioReason,
  redactor,
  TWILIO_NOT_FOUND,
  type FrontlineError,
} from './errors';
import {
  basicCredentials,
  parseFrontlineUser,
  userPathSegment,
  type FrontlineUser,
  type FrontlineUsers,
  type FrontlineUserUpdate,
} from './users';

export interface TwilioFrontlineUsersOptions {
  /** The Frontline API origin (FRONTLINE_API_URL), e.g. https://frontline-api.twilio.com or the emulator. */
  apiUrl: string;
  credentials: TwilioCredentials;
  /** Per request. @default 10000 */
  timeoutMs?: number;
}

/** The client options: everything twilio-node would otherwise take from TWILIO_* variables is pinned. */
export function twilioClientOptions(options: TwilioFrontlineUsersOptions) {
  return {
    accountSid: options.credentials.accountSid,
    autoRetry: false,
    timeout: options.timeoutMs ?? 10_000,
    edge: '',
    region: '',
    logLevel: 'warn',
    env: {},
  };
}

/** What twilio-node throws for a non-2xx answer: RestException (`message`) or TwilioServiceException (`title`). */
interface TwilioHttpErrorShape {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  title?: unknown;
  isAxiosError?: unknown;
}

/**
 * The Frontline Users port on the official `twilio` library:
 * `client.frontlineApi.v1.users(identity).fetch()` / `.update({ state, friendlyName })`.
 *
 * - Base URL: twilio-node gives each domain a public `baseUrl` (src/base/Domain.ts; FrontlineApiBase passes
 *   https://frontline-api.twilio.com), so FRONTLINE_API_URL is set there. `edge` and `region` are pinned to '' so
 *   TWILIO_EDGE/TWILIO_REGION in the environment cannot rewrite that host (BaseTwilio.getHostname); Frontline
 *   has one host.
 * - No 429 retries inside the library (`autoRetry` stays off): the queue retries, with backoff, like Okta's.
 * - `logLevel` is pinned (6.3 reads TWILIO_LOG_LEVEL but does not pass it to requests; a later version might, and
 *   its debug output prints every URL, identities included).
 * - Errors: the library's network errors are axios errors whose `config.headers` hold the Authorization header,
 *   so they are never passed on; see ./errors.
 * - Only Twilio's own answers are believed (./errors notTwilioReason). The library keeps no response headers on its
 *   errors, so here the body decides: its RestException has a numeric `code` only when the body was JSON with one;
 *   a 2xx that is not JSON fails its `JSON.parse` with a SyntaxError (whose message quotes the body: not kept).
 */
export function createTwilioFrontlineUsers(options: TwilioFrontlineUsersOptions): FrontlineUsers {
  const { username, password } = basicCredentials(options.credentials);
  const client = twilio(username, password, twilioClientOptions(options));
  const api = client.frontlineApi;
  api.baseUrl = options.apiUrl;
  const redact = redactor([password, Buffer.from(`${username}:${password}`).toString('base64')]);

  const toError = (context: string, error: unknown): FrontlineError => {
    const e = (typeof error === 'object' && error !== null ? error : {}) as TwilioHttpErrorShape;
    if (error instanceof SyntaxError) return notFrontlineAnswer(context, undefined, 'HTTP 2xx, not JSON');
    if (typeof e.status === 'number' && !e.isAxiosError) {
      // No headers to read: a numeric `code` is the sign the body was Twilio's JSON error.
      const foreign = notTwilioReason({
        status: e.status,
        contentType: undefined,
        body: typeof e.code === 'number' ? { code: e.code } : null,
      });
      if (foreign) return notFrontlineAnswer(context, e.status, foreign);
      const text =
        typeof e.message === 'string' ? e.message : typeof e.title === 'string' ? e.title : undefined;
      return frontlineHttpError(context, e.status, {
        ...(typeof e.code === 'number' ? { code: e.code } : {}),
        ...(text !== undefined ? { message: redact(text) } : {}),
      });
    }
    return frontlineNetworkError(context, error, redact);
  };
  const isNotFound = (error: unknown) => {
    const e = error as TwilioHttpErrorShape | null;
    return e?.status === 404 && e.code === TWILIO_NOT_FOUND;
  };

  async function call(
    context: string,
    run: () => Promise<{
      sid: string;
      identity: string;
      friendlyName: string;
      avatar: string;
      state: string;
      isAvailable: boolean;
    }>,
  ): Promise<FrontlineUser | undefined> {
    let u: Awaited<ReturnType<typeof run>>;
    try {
      u = await run();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toError(context, error);
    }
    return parseFrontlineUser(context, {
      sid: u.sid,
      identity: u.identity,
      friendly_name: u.friendlyName,
      avatar: u.avatar,
      state: u.state,
      is_available: u.isAvailable,
    });
  }

  return {
    get: (identity) => call('Frontline GET user', () => api.v1.users(userPathSegment(identity)).fetch()),
    update: (identity, update: FrontlineUserUpdate) =>
      call('Frontline update user', () =>
        api.v1.users(userPathSegment(identity)).update({
          ...(update.state !== undefined ? { state: update.state } : {}),
          ...(update.friendlyName !== undefined ? { friendlyName: update.friendlyName } : {}),
        }),
      ),
  };
}
