import type { TwilioCredentials } from './config';
import {
  frontlineHttpError,
  frontlineNetworkError,
  notFrontlineAnswer,
  notTwilioReason,
  redactor,
  TWILIO_NOT_FOUND,
} from './errors';
import {
  basicCredentials,
  parseFrontlineUser,
  userPathSegment,
  type FrontlineUser,
  type FrontlineUsers,
  type FrontlineUserUpdate,
} from './users';

export interface FetchFrontlineUsersOptions {
  /** The Frontline API origin (FRONTLINE_API_URL), e.g. https://frontline-api.twilio.com or the emulator. */
  apiUrl: string;
  credentials: TwilioCredentials;
  /** Per request. @default 10000 */
  timeoutMs?: number;
  /** For tests. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * The Frontline Users port on Node's own `fetch`: the two calls the product makes, exactly as twilio-node makes
 * them (`GET /v1/Users/{Sid}`, and `POST` with a form body of `State` / `FriendlyName`; HTTP Basic; Accept JSON),
 * without loading the `twilio` library and its dependencies on the worker's cold start (docs/benchmarks.md,
 * "Twilio library weight"). Answers and errors are the same as the twilio-library adapter's; the contract test
 * runs both against the emulator.
 */
export function createFetchFrontlineUsers(options: FetchFrontlineUsersOptions): FrontlineUsers {
  const { username, password } = basicCredentials(options.credentials);
  const basic = Buffer.from(`${username}:${password}`).toString('base64');
  const redact = redactor([password, basic]);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = options.apiUrl.replace(/\/+$/, '');

  async function call(
    context: string,
    identity: string,
    form?: URLSearchParams,
  ): Promise<FrontlineUser | undefined> {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}/v1/Users/${userPathSegment(identity)}`, {
        method: form ? 'POST' : 'GET',
        headers: {
          authorization: `Basic ${basic}`,
          accept: 'application/json',
          'user-agent': 'frontline-okta-provisioner',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: form.toString() } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      // Node's fetch says "fetch failed" and puts the socket error (ECONNREFUSED, …) in `cause`.
      const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
      throw frontlineNetworkError(context, typeof cause?.message === 'string' ? cause : error, redact);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    // Only Twilio's own answer is read: a proxy's HTML 404 is not "never signed in" (./errors notTwilioReason).
    const foreign = notTwilioReason({
      status: res.status,
      contentType: res.headers.get('content-type'),
      body,
    });
    if (foreign) throw notFrontlineAnswer(context, res.status, foreign);
    if (res.status < 200 || res.status >= 300) {
      const b = (typeof body === 'object' && body !== null ? body : {}) as {
        code?: unknown;
        message?: unknown;
      };
      if (res.status === 404 && b.code === TWILIO_NOT_FOUND) return undefined;
      throw frontlineHttpError(context, res.status, {
        ...(typeof b.code === 'number' ? { code: b.code } : {}),
        ...(typeof b.message === 'string' ? { message: redact(b.message) } : {}),
      });
    }
    return parseFrontlineUser(context, body);
  }

  return {
    get: (identity) => call('Frontline GET user', identity),
    update(identity, update: FrontlineUserUpdate) {
      const form = new URLSearchParams();
      if (update.state !== undefined) form.set('State', update.state);
      if (update.friendlyName !== undefined) form.set('FriendlyName', update.friendlyName);
      return call('Frontline update user', identity, form);
    },
  };
}
