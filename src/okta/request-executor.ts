import type { KeyObject } from 'node:crypto';
import { DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { freshDpopProof, isReusedProofAnswer } from './dpop-proof';
import { notOktasAnswer, notOktasReason } from './okta-answer';
import type { RateGovernor } from './rate-governor';

type ExecutorRequest = Parameters<DefaultRequestExecutor['fetch']>[0];
type ExecutorResponse = Awaited<ReturnType<DefaultRequestExecutor['fetch']>>;

export interface OktaExecutorConfig {
  /** 429 retries, each after the bucket's reset; made here, never by the SDK. */
  maxRetries: number;
  /** The whole request's budget, its 429 waits included (0: none). */
  requestTimeout: number;
  /** The service app's private key, when its tokens are DPoP-bound: a retry carries a fresh proof (./dpop-proof.ts). */
  dpopKey?: KeyObject;
}

/**
 * The SDK's executor, with every actual HTTP call paced by the governor when there is one, and every 2xx checked to
 * be Okta's (./okta-answer.ts) before the SDK reads it. The SDK reads a `text/html` 200 as an empty model (its
 * ObjectSerializer passes text through and the model takes no field from a string), i.e. a user without id or
 * status; refused here, it is a transient failure instead. Error statuses go on to the SDK, which throws them with
 * their status, body fields and headers, and toOktaError judges them by the same rule.
 *
 * 429 retries are made here, not by the SDK: its retry re-sends the first request's headers, DPoP proof included,
 * and Okta refuses a proof it has seen (the DPoP guide: the `jti` is tracked). Each retry waits for the reset as the
 * SDK would (reset − the answer's `Date` + 1 s), within the request's budget (past it, the 429 is returned and the
 * caller's queue waits instead), and carries a fresh proof. An answer that says the proof was already used is sent
 * once more with a fresh one.
 */
export class OktaRequestExecutor extends DefaultRequestExecutor {
  private readonly dpopKey: KeyObject | undefined;

  public constructor(
    config: OktaExecutorConfig,
    private readonly governor?: RateGovernor,
  ) {
    super({ maxRetries: config.maxRetries, requestTimeout: config.requestTimeout });
    this.dpopKey = config.dpopKey;
  }

  /** The SDK's own retry never runs: `fetch` below makes it (`maxRetries` is ours). */
  public override maxRetriesReached(): boolean {
    return true;
  }

  public override async fetch(request: ExecutorRequest): Promise<ExecutorResponse> {
    let current = request;
    let retries = 0;
    let reusedProofRetried = false;
    for (;;) {
      const response = await this.fetchOnce(current);
      if (response.status === 429 && retries < this.maxRetries) {
        const delayMs = this.rateLimitDelayMs(current, response);
        if (delayMs !== undefined) {
          retries += 1;
          await response.text().catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          current = this.again(current, response, delayMs);
          continue;
        }
      }
      if (
        !reusedProofRetried &&
        this.dpopKey &&
        isReusedProofAnswer(response.status, response.headers.get('www-authenticate'))
      ) {
        reusedProofRetried = true;
        await response.text().catch(() => undefined);
        current = this.again(current, response, 0);
        continue;
      }
      return response;
    }
  }

  /** The wait before a 429's retry, or undefined when the answer gives no usable reset or the budget is spent. */
  private rateLimitDelayMs(request: ExecutorRequest, response: ExecutorResponse): number | undefined {
    if (!this.validateRetryResponseHeaders(response)) return undefined;
    const delayMs = Math.max(0, this.getRetryDelayMs(response));
    const started = (request as { startTime?: Date }).startTime;
    const elapsedMs = started ? Date.now() - started.getTime() : 0;
    if (this.requestTimeout > 0 && elapsedMs + delayMs >= this.requestTimeout) return undefined;
    return delayMs;
  }

  /** The request to send again: the SDK's retry copy (its retry headers), with a fresh DPoP proof when it had one. */
  private again(request: ExecutorRequest, response: ExecutorResponse, delayMs: number): ExecutorRequest {
    const next = this.buildRetryRequest(request, this.getOktaRequestId(response), delayMs) as ExecutorRequest;
    const headers = (next as { headers?: Record<string, unknown> }).headers;
    const proof = headers?.DPoP;
    if (this.dpopKey && headers && typeof proof === 'string') {
      const fresh = freshDpopProof(proof, this.dpopKey);
      if (fresh) headers.DPoP = fresh;
    }
    return next;
  }

  private async fetchOnce(request: ExecutorRequest): Promise<ExecutorResponse> {
    const url = String(request.url);
    // RequestInit's `method` and `headers` (node-fetch's types are not resolved here: skipLibCheck).
    const init = request as { method?: string; headers?: Record<string, unknown> };
    const method = init.method ?? 'GET';
    await this.governor?.acquire(url, method);
    const response = await super.fetch(request);
    this.governor?.observe(url, response.headers, method, response.status);
    if (response.status >= 200 && response.status < 300) {
      const contentType = response.headers.get('content-type');
      const reason = notOktasReason({
        status: response.status,
        contentType,
        accept: headerOf(init.headers, 'accept'),
        // The body is not read here. Without a content type the SDK refuses a body itself ("Cannot parse content.
        // No Content-Type defined.", a transient failure), and an empty 200 sent without one has nothing to
        // misread; oktaRaw checks its text itself.
        hasBody:
          response.status !== 204 && response.headers.get('content-length') !== '0' && contentType !== null,
      });
      if (reason) {
        // Read and drop the page so the connection is released; its text is never looked at.
        await response.text().catch(() => undefined);
        throw notOktasAnswer(`${method.toUpperCase()} ${pathOf(url)}`, response.status, reason);
      }
    }
    return response;
  }
}

/** The URL's path, for the message: no query (it can carry filters with names in them), no origin. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'request';
  }
}

/** A request header, by any case (the SDK writes `Accept`, fetch callers may write `accept`). */
function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}
