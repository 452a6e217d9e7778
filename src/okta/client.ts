import { Client } from '@okta/okta-sdk-nodejs';
import { OktaError, OktaPermanentError, OktaRateLimitedError, OktaTransientError } from './errors';
import { notOktasAnswer, notOktasReason, OKTA_NOT_FOUND } from './okta-answer';
import { privateKeyProblem } from './private-key';
import type { RateGovernor } from './rate-governor';
import { dpopSigningKey } from './dpop-proof';
import { OktaRequestExecutor } from './request-executor';

import type { OktaCredentials } from '../secrets/okta-credentials';

export type { OktaCredentials };

export interface OktaClientOptions {
  orgUrl: string;
  credentials: OktaCredentials;
  /**
   * 429 retries, each after the bucket's reset, made by our executor with a fresh DPoP proof (the SDK's own retry
   * re-sends the used proof: ./request-executor.ts). Lambdas pass 0 and let the queue bring the item back after the
   * reset; the CLI may wait.
   * @default 0
   */
  maxRateLimitRetries?: number;
  /**
   * Per request, including the SDK's 429 waits: the SDK refuses a retry whose wait would pass it, so with retries
   * on it must outlast a whole rate-limit window (Okta's is a minute).
   * @default 10000 without 429 retries, 130000 with them
   */
  requestTimeoutMs?: number;
  /** Shared pacing by Okta's rate-limit headers; without one, calls go out unpaced. */
  governor?: RateGovernor;
}

/** Every scope the project uses; an OAuth service app needs these granted. */
export const OKTA_SCOPES = [
  'okta.users.read',
  'okta.users.manage',
  'okta.groups.read',
  'okta.apps.read',
  'okta.apps.manage',
  'okta.eventHooks.manage',
  // The System Log catch-up (src/catchup) reads GET /api/v1/logs.
  'okta.logs.read',
];

/**
 * The SDK client, configured the one way this project needs it: no cache (we read-then-repair), 429 retries as
 * asked, nothing read from ~/.okta or OKTA_CLIENT_* (everything is passed explicitly), and only Okta's own answers
 * believed (./request-executor.ts, ./okta-answer.ts).
 */
export function createOktaClient(options: OktaClientOptions): Client {
  const maxRetries = options.maxRateLimitRetries ?? 0;
  const executorConfig = {
    maxRetries,
    requestTimeout: options.requestTimeoutMs ?? (maxRetries > 0 ? 130_000 : 10_000),
  };
  const orgUrl = options.orgUrl.replace(/\/+$/, '');
  const common = { orgUrl, cacheMiddleware: null, userAgent: 'frontline-okta-provisioner' };
  if (options.credentials.kind === 'ssws') {
    const requestExecutor = new OktaRequestExecutor(executorConfig, options.governor);
    return new Client({
      ...common,
      requestExecutor,
      authorizationMode: 'SSWS',
      token: options.credentials.token,
    });
  }
  assertReadablePrivateKey(options.credentials.privateKey);
  // A retried request needs a fresh DPoP proof, signed with the same key the SDK signs its proofs with.
  const dpopKey = dpopSigningKey(options.credentials.privateKey);
  const requestExecutor = new OktaRequestExecutor({ ...executorConfig, dpopKey }, options.governor);
  return new Client({
    ...common,
    requestExecutor,
    authorizationMode: 'PrivateKey',
    clientId: options.credentials.clientId,
    privateKey: options.credentials.privateKey,
    ...(options.credentials.keyId ? { keyId: options.credentials.keyId } : {}),
    scopes: options.credentials.scopes,
  });
}

/**
 * The SDK reads the key only when it first asks for an access token, and reports a bad one as an error without an
 * HTTP status, which would look like a network failure worth retrying. Reading it here (PEM, or a JWK as JSON, the
 * two forms the SDK accepts) makes it a permanent failure at once. The message never includes the key.
 */
function assertReadablePrivateKey(privateKey: string): void {
  const problem = privateKeyProblem(privateKey);
  if (problem)
    throw new OktaPermanentError(`the Okta service app private key ${problem}`, 'invalid-private-key');
}

interface SdkErrorShape {
  status?: number | string;
  errorCode?: string;
  errorSummary?: string;
  message?: string;
  code?: string;
  type?: string;
  /** The URL that answered (the SDK's OktaApiError and HttpError carry it). */
  url?: string;
  headers?: { get?(name: string): string | null };
}

/**
 * Turns whatever the SDK or fetch threw into one of our OktaError classes. `now` is injectable for tests.
 * The message names the Okta error code and summary only.
 *
 * The SDK throws an error status as OktaApiError when the body parses as JSON and as HttpError (whose message holds
 * the whole body) when it doesn't, whatever the content type; either way with `status` and the answer's `headers`.
 * Only an answer ./okta-answer.ts calls Okta's is classified by its status; any other becomes a transient error
 * without the SDK's error as its cause, so the body never travels on. `not-found` needs Okta's E0000007.
 */
export function toOktaError(error: unknown, context: string, now: () => number = Date.now): OktaError {
  if (error instanceof OktaError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = typeof e.status === 'string' ? Number.parseInt(e.status, 10) : e.status;
  const errorCode = e.errorCode;
  const summary = e.errorSummary || (status === undefined ? (e.message ?? String(error)) : `HTTP ${status}`);
  const message = `${context}: ${errorCode ? `${errorCode} ` : ''}${summary}`;
  const opts = {
    ...(status !== undefined ? { status } : {}),
    ...(errorCode ? { errorCode } : {}),
    cause: error,
  };
  if (error instanceof URIError) {
    // encodeURIComponent of a lone surrogate: the same input fails the same way on every retry.
    return new OktaPermanentError(`${context}: not encodable in a URL`, 'invalid-request', { cause: error });
  }
  if (status === undefined || Number.isNaN(status)) {
    // No HTTP status: a network failure, a timeout, or the SDK's own "retry delay would exceed" error.
    return new OktaTransientError(message, opts);
  }
  const header = (name: string) => (typeof e.headers?.get === 'function' ? e.headers.get(name) : null);
  const foreign = notOktasReason({
    status,
    contentType: header('content-type'),
    errorCode,
    rateLimitReset: header('x-rate-limit-reset'),
    url: e.url,
  });
  if (foreign) return notOktasAnswer(context, status, foreign);
  if (status === 429) {
    const resetHeader = header('x-rate-limit-reset');
    const dateHeader = header('date');
    const resetSeconds = resetHeader ? Number.parseInt(resetHeader, 10) : Number.NaN;
    // Okta's reset is on its clock; convert the delta onto ours, as the SDK does, plus a second of slack.
    const serverNow = dateHeader ? Date.parse(dateHeader) : Number.NaN;
    const delta = Number.isFinite(resetSeconds)
      ? resetSeconds * 1000 - (Number.isFinite(serverNow) ? serverNow : now())
      : 60_000;
    return new OktaRateLimitedError(message, now() + Math.max(0, delta) + 1000, opts);
  }
  if (status >= 500 || status === 408) return new OktaTransientError(message, opts);
  if (status === 401) return new OktaPermanentError(message, 'auth', opts);
  if (status === 404) {
    if (errorCode === OKTA_NOT_FOUND) return new OktaPermanentError(message, 'not-found', opts);
    // Okta's, but not "gone" (E0000008 a wrong path, E0000022 a method the path lacks): never a fact about a user;
    // retried, then dead-lettered, where someone looks.
    return new OktaTransientError(`${message} (only ${OKTA_NOT_FOUND} says the resource is gone)`, opts);
  }
  if (status === 403) {
    return new OktaPermanentError(
      message,
      errorCode === 'E0000023' ? 'mastered-elsewhere' : 'forbidden',
      opts,
    );
  }
  return new OktaPermanentError(message, 'validation', opts);
}
