import { randomUUID } from 'node:crypto';

/*
 * `doctor --receiver-url`: sends Okta's verification challenge with the hook secret, as Okta would. The secret goes to
 * the URL given and nowhere else: https only (plain http to this machine alone, for `serve` and the emulator), and a
 * redirect is reported, never followed (fetch would carry a custom secret header to whatever origin it names).
 */

export interface ReceiverCheck {
  name: 'receiver';
  ok: boolean;
  message: string;
}

export interface ReceiverCheckOptions {
  /** OKTA_HOOK_SECRET; without it the challenge goes out with no secret header. */
  secret: string | undefined;
  /** The header Okta sends the secret in (OKTA_HOOK_AUTH_HEADER). */
  header: string;
  /** @default 5000 */
  timeoutMs?: number;
}

/** Hosts plain http may reach: the loopback names and addresses (127.0.0.0/8, ::1). */
function isLoopback(hostname: string): boolean {
  // The URL parser has already normalised IPv4 forms (127.1, 0x7f.0.0.1) to dotted decimal.
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Why the secret may not be sent to `url`, or undefined when it may. */
export function receiverUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `--receiver-url ${url} is not a URL`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return undefined;
  return `--receiver-url must be https (plain http only to localhost, 127.0.0.0/8 or [::1]): the check sends OKTA_HOOK_SECRET, so nothing was sent to ${parsed.origin}`;
}

/** The receiver answers Okta's verification challenge, checked with one request to `url` and no redirect. */
export async function checkReceiver(url: string, options: ReceiverCheckOptions): Promise<ReceiverCheck> {
  const failed = (message: string): ReceiverCheck => ({ name: 'receiver', ok: false, message });
  const problem = receiverUrlProblem(url);
  if (problem) return failed(problem);
  const challenge = randomUUID();
  const headers: Record<string, string> = { 'x-okta-verification-challenge': challenge };
  if (options.secret) headers[options.header] = options.secret;
  let response: Response;
  try {
    response = await fetch(url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (err) {
    return failed(`${url} cannot be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location');
    let target = 'no Location';
    try {
      if (location) target = new URL(location, url).origin;
    } catch {
      target = 'an unreadable Location';
    }
    return failed(
      `${url} answers ${response.status}, a redirect to ${target}; not followed (the secret goes only to the URL given): pass the receiver's own URL`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as { verification?: unknown } | undefined;
  if (response.status === 401) {
    return failed(
      `${url} answers 401: ${options.secret ? `its secret differs from OKTA_HOOK_SECRET (header ${options.header})` : 'set OKTA_HOOK_SECRET to the receiver’s secret'}`,
    );
  }
  if (response.status === 200 && body?.verification === challenge) {
    return { name: 'receiver', ok: true, message: `${url} answers Okta's verification challenge` };
  }
  return failed(`${url} answers ${response.status} without echoing the verification challenge`);
}
