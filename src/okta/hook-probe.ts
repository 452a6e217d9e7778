import { randomBytes } from 'node:crypto';

/**
 * Calls the event-hook receiver the way Okta's one-time verification does (GET with
 * `x-okta-verification-challenge` and the auth header; the answer must be `{"verification": <challenge>}`, within
 * 3 s: Okta's event-hook verification docs), so `hook register` learns whether a new URL or secret works before it
 * changes the hook Okta delivers to. The secret is sent, never put in a reason.
 */

export interface ProbeTarget {
  url: string;
  authHeader: string;
  secret: string;
}

export type ProbeOutcome = { ok: true } | { ok: false; reason: string };

/** Okta waits 3 seconds for the verification answer. */
export const VERIFICATION_TIMEOUT_MS = 3_000;

export async function probeReceiver(
  target: ProbeTarget,
  what: string,
  timeoutMs = VERIFICATION_TIMEOUT_MS,
): Promise<ProbeOutcome> {
  const challenge = randomBytes(24).toString('hex');
  let res: Response;
  let text: string;
  try {
    res = await fetch(target.url, {
      method: 'GET',
      headers: {
        [target.authHeader]: target.secret,
        'x-okta-verification-challenge': challenge,
        accept: 'application/json',
      },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    text = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return { ok: false, reason: `the receiver at ${target.url} did not answer (${cause}): deploy it first` };
  }
  if (res.status === 401 || res.status === 403) {
    return { ok: false, reason: `the receiver answered ${res.status} to ${what}: deploy the secret first` };
  }
  if (!res.ok) {
    return {
      ok: false,
      reason: `the receiver at ${target.url} answered ${res.status} to the verification challenge`,
    };
  }
  let verification: unknown;
  try {
    verification = (JSON.parse(text) as { verification?: unknown } | null)?.verification;
  } catch {
    verification = undefined;
  }
  if (verification !== challenge) {
    return {
      ok: false,
      reason: `${target.url} answered 200 without echoing the verification challenge: is it the receiver's /okta/event-hook?`,
    };
  }
  return { ok: true };
}
