import { DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import { notOktasAnswer, notOktasReason } from './okta-answer';
import type { RateGovernor } from './rate-governor';

type ExecutorRequest = Parameters<DefaultRequestExecutor['fetch']>[0];
type ExecutorResponse = Awaited<ReturnType<DefaultRequestExecutor['fetch']>>;

/**
 * The SDK's executor (its 429 retries), with every actual HTTP call paced by the governor when there is one, and
 * every 2xx checked to be Okta's (./okta-answer.ts) before the SDK reads it. The SDK reads a `text/html` 200 as an
 * empty model (its ObjectSerializer passes text through and the model takes no field from a string), i.e. a user
 * without id or status; refused here, it is a transient failure instead. Error statuses go on to the SDK, which
 * throws them with their status, body fields and headers, and toOktaError judges them by the same rule.
 */
export class OktaRequestExecutor extends DefaultRequestExecutor {
  public constructor(
    config: { maxRetries: number; requestTimeout: number },
    private readonly governor?: RateGovernor,
  ) {
    super(config);
  }

  public override async fetch(request: ExecutorRequest): Promise<ExecutorResponse> {
    const url = String(request.url);
    // RequestInit's `method` and `headers` (node-fetch's types are not resolved here: skipLibCheck).
    const init = request as { method?: string; headers?: Record<string, unknown> };
    const method = init.method ?? 'GET';
    await this.governor?.acquire(url, method);
    const response = await super.fetch(request);
    this.governor?.observe(url, response.headers, method);
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
