import { OktaTransientError } from './errors';

/**
 * Whether an HTTP answer is Okta's own: the one place that decides it, for the SDK's calls (the request executor,
 * toOktaError) and for raw JSON (oktaRaw). Something in front of Okta (a proxy, a gateway, a captive portal) can
 * answer in Okta's place; its 404 is not "user deleted" and its 200 page is not a user. An answer that is not
 * Okta's is never read as a fact about a user: it becomes an OktaTransientError, retried with backoff and in the
 * end dead-lettered.
 *
 * The rule:
 * - an error status is Okta's only when its body is JSON (`application/json`) carrying an `errorCode`: Okta's
 *   error object, `{errorCode, errorSummary, errorLink, errorId, errorCauses}`, which "all errors contain"
 *   (developer.okta.com/docs/reference/error-codes, "Okta error codes and descriptions"). The OAuth token endpoint
 *   (`/oauth2/v1/token`) answers errors in OAuth's own JSON shape (`error`, `error_description`; RFC 6749 §5.2), so
 *   there JSON is enough;
 * - a 429 without Okta's body but with Okta's `X-Rate-Limit-Reset` (sent on every Okta answer) is still a rate
 *   limit; a proxy's 429 without those headers is not;
 * - a 2xx with a body is Okta's only in the media type the request asked for first (JSON for the API, XML for the
 *   SAML metadata): an HTML 200 is not a user.
 */

/**
 * Okta's "Resource not found exception" (404): the only answer that says a user, an assignment or an app is gone.
 * E0000008 ("The requested path was not found") and E0000022 mean the request went to a wrong path, not that the
 * resource is gone (developer.okta.com/docs/reference/error-codes).
 */
export const OKTA_NOT_FOUND = 'E0000007';

export interface HttpAnswer {
  status: number;
  /** The answer's Content-Type header as sent; null or undefined when absent. */
  contentType: string | null | undefined;
  /** The request's Accept header: what a 2xx must be. JSON when absent. */
  accept?: string | null | undefined;
  /** An error's `errorCode`, when its body was JSON and had one. */
  errorCode?: string | undefined;
  /** The answer's X-Rate-Limit-Reset header. */
  rateLimitReset?: string | null | undefined;
  /** The URL that answered (the token endpoint's errors have OAuth's shape). */
  url?: string | undefined;
  /** A 2xx without a body (204, Content-Length 0, an empty text) has nothing to misread. @default status !== 204 */
  hasBody?: boolean;
}

/** Undefined when the answer is Okta's; otherwise why it is not, naming only the status and the media type. */
export function notOktasReason(answer: HttpAnswer): string | undefined {
  const type = mediaTypeOf(answer.contentType);
  const shown = type === '' ? 'no content type' : type;
  if (answer.status >= 200 && answer.status < 300) {
    if (!(answer.hasBody ?? answer.status !== 204)) return undefined;
    const expected = expectedKind(answer.accept);
    if (expected === 'json' && !isJson(type)) return `HTTP ${answer.status} ${shown} where Okta answers JSON`;
    if (expected === 'xml' && !isXml(type)) return `HTTP ${answer.status} ${shown} where Okta answers XML`;
    return undefined;
  }
  if (isJson(type) && (answer.errorCode || isTokenEndpoint(answer.url))) return undefined;
  if (answer.status === 429 && answer.rateLimitReset) return undefined;
  if (!isJson(type)) return `HTTP ${answer.status} ${shown}, not Okta's JSON error object`;
  return `HTTP ${answer.status} JSON without Okta's errorCode`;
}

/** The transient error for an answer that is not Okta's; the message holds no body (it may hold anything). */
export function notOktasAnswer(context: string, status: number, reason: string): OktaTransientError {
  return new OktaTransientError(
    `${context}: the answer is not Okta's (${reason}); retrying, not taken as a fact`,
    {
      status,
    },
  );
}

/** `text/HTML; charset=utf-8` → `text/html`; anything that is no media type is shown as `unreadable`. */
function mediaTypeOf(contentType: string | null | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[\w.+-]{1,40}\/[\w.+-]{1,60}$/.test(type) || type === '' ? type : 'unreadable';
}

const isJson = (type: string) => type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
const isXml = (type: string) => type === 'application/xml' || type === 'text/xml' || /\+xml$/.test(type);

function expectedKind(accept: string | null | undefined): 'json' | 'xml' | 'any' {
  const first = mediaTypeOf((accept ?? 'application/json').split(',')[0]);
  if (isJson(first)) return 'json';
  if (isXml(first)) return 'xml';
  return 'any';
}

/** The org authorization server's token endpoint, or a custom authorization server's. */
function isTokenEndpoint(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return /^\/oauth2(\/[^/]+)?\/v1\/token$/.test(new URL(url).pathname);
  } catch {
    return false;
  }
}
