/**
 * Frontline Users API failures, sorted by what the caller should do about them. The adapters map every HTTP or
 * network failure to one of these, so nothing above them inspects status codes. A 404 is not among them: the
 * port answers it as a value ("no such Frontline user"). Messages carry the HTTP status, Twilio's error code and
 * message, never a request header or a credential (see `redact`).
 */
export type FrontlineFailureKind =
  | 'auth' // 401 (Twilio 20003): the account SID/auth token or API key is wrong, revoked or disabled
  | 'forbidden' // 403: the credential is valid but may not use Frontline (e.g. a restricted API key)
  | 'validation' // other 4xx: Twilio rejected the request itself
  | 'unexpected'; // Twilio's JSON, but not the Frontline API's (a 404 with a code other than 20404, a body that is no user)

export interface FrontlineErrorOptions {
  status?: number;
  /** Twilio's error code, e.g. 20003, 20429 (https://www.twilio.com/docs/api/errors). */
  code?: number;
  cause?: unknown;
}

export class FrontlineError extends Error {
  public readonly status: number | undefined;
  public readonly code: number | undefined;
  public constructor(message: string, options: FrontlineErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'FrontlineError';
    this.status = options.status;
    this.code = options.code;
  }
}

/** 5xx, timeouts, connection failures: retry through the queue with backoff. */
export class FrontlineTransientError extends FrontlineError {
  public constructor(message: string, options: FrontlineErrorOptions = {}) {
    super(message, options);
    this.name = 'FrontlineTransientError';
  }
}

/** 429 (Twilio 20429): Twilio sends no reset time, so this is a transient error the queue backs off from. */
export class FrontlineRateLimitedError extends FrontlineTransientError {
  public constructor(message: string, options: FrontlineErrorOptions = {}) {
    super(message, options);
    this.name = 'FrontlineRateLimitedError';
  }
}

/**
 * Retrying the same request will not help. `auth` and `forbidden` mean our credential is wrong, `unexpected` that
 * FRONTLINE_API_URL is not the Frontline API: the work item must fail loudly (retried, then dead-lettered and
 * alarmed), never be recorded as skipped. Only `validation` concerns the one request.
 */
export class FrontlinePermanentError extends FrontlineError {
  public readonly kind: FrontlineFailureKind;
  public constructor(message: string, kind: FrontlineFailureKind, options: FrontlineErrorOptions = {}) {
    super(message, options);
    this.name = 'FrontlinePermanentError';
    this.kind = kind;
  }
}

/** True for a failure worth retrying later (429, 5xx, network). */
export const isRetryableFrontlineError = (error: unknown): error is FrontlineTransientError =>
  error instanceof FrontlineTransientError;

/** True when the credential was refused or the endpoint is not Frontline's: fail loudly, never skip. */
export const isFatalFrontlineError = (error: unknown): error is FrontlinePermanentError =>
  error instanceof FrontlinePermanentError && error.kind !== 'validation';

/** Twilio's "not found" (https://www.twilio.com/docs/api/errors/20404): the port answers it as `undefined`. */
export const TWILIO_NOT_FOUND = 20404;

/**
 * Whether an answer is the Frontline API's own. "Twilio Product APIs (`<PRODUCT>.twilio.com/v<VERSION>`) return
 * responses in JSON only" (twilio.com/docs/usage/twilios-response, "Response formats"), errors as `{code, message,
 * more_info, status}` with Twilio's numeric error code (same page, and twilio.com/docs/api/errors). Something in
 * front of Twilio (a proxy, a gateway) can answer in its place: an error without a numeric `code`, or an answer that
 * is not JSON, says nothing about a user, least of all "never signed in". Undefined when it is Twilio's; else why
 * not, naming only the status and the media type (never the body).
 */
export function notTwilioReason(answer: {
  status: number;
  /** The Content-Type header (null: absent); undefined when the library that made the call does not show it. */
  contentType?: string | null | undefined;
  /** The body parsed as JSON; undefined when it does not parse. */
  body: unknown;
}): string | undefined {
  const type = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const shown = /^[\w.+-]{1,40}\/[\w.+-]{1,60}$/.test(type)
    ? type
    : type === ''
      ? 'no content type'
      : 'unreadable';
  // application/problem+json: Twilio's newer RFC 9457 errors (twilio-node's TwilioServiceException).
  const json = type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
  if (answer.contentType !== undefined && !json) return `HTTP ${answer.status} ${shown}, not JSON`;
  if (answer.body === undefined) return `HTTP ${answer.status}, a body that is not JSON`;
  if (answer.status >= 200 && answer.status < 300) return undefined;
  const code = (answer.body as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? undefined : `HTTP ${answer.status} without a Twilio error code`;
}

/** An answer that is not Twilio's: retried through the queue with backoff (then dead-lettered), never a fact. */
export function notFrontlineAnswer(
  context: string,
  status: number | undefined,
  reason: string,
): FrontlineTransientError {
  return new FrontlineTransientError(
    `${context}: the answer is not the Frontline API's (${reason}); retrying, not taken as a fact`,
    status === undefined ? {} : { status },
  );
}

/**
 * The error for an HTTP answer of Twilio's (see notTwilioReason) that was not 2xx (and not the 404 + 20404 the port
 * answers as a value). `detail` is Twilio's `message`; both adapters build their errors here so they classify alike.
 */
export function frontlineHttpError(
  context: string,
  status: number,
  twilio: { code?: number | undefined; message?: string | undefined },
): FrontlineError {
  const code = twilio.code;
  const message = `${context}: HTTP ${status}${code !== undefined ? ` (Twilio ${code})` : ''}${
    twilio.message ? ` ${twilio.message}` : ''
  }`;
  const opts = { status, ...(code !== undefined ? { code } : {}) };
  if (status === 429) return new FrontlineRateLimitedError(message, opts);
  if (status >= 500 || status === 408) return new FrontlineTransientError(message, opts);
  if (status === 401) return new FrontlinePermanentError(message, 'auth', opts);
  if (status === 403) return new FrontlinePermanentError(message, 'forbidden', opts);
  // The adapters answer a 404 with Twilio's 20404 as "no such user" (and a 404 that is not Twilio's JSON as a
  // transient failure); a Twilio 404 with another code is not the Frontline API talking (e.g. FRONTLINE_API_URL
  // points elsewhere), and taking it for "never signed in" would skip offboarding.
  if (status === 404) {
    return new FrontlinePermanentError(
      `${message}; is FRONTLINE_API_URL the Frontline API?`,
      'unexpected',
      opts,
    );
  }
  return new FrontlinePermanentError(message, 'validation', opts);
}

/**
 * The error for a request that got no HTTP answer (refused, reset, DNS, timeout). Only the error's code and
 * message are kept, passed through `redact`: the library's own error object can hold the request, Authorization
 * header included (axios keeps `config.headers`), so it is never attached as the cause.
 */
export function frontlineNetworkError(
  context: string,
  error: unknown,
  redact: (text: string) => string,
): FrontlineTransientError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const text = typeof e.message === 'string' ? e.message : String(error);
  const summary = redact(code && !text.includes(code) ? `${code} ${text}` : text);
  return new FrontlineTransientError(`${context}: ${summary}`, { cause: new Error(summary) });
}

/** Replaces each secret (and the Basic header value built from it) in `text`. */
export function redactor(secrets: string[]): (text: string) => string {
  const needles = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((t, s) => t.split(s).join('[redacted]'), text);
}
