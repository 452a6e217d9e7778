import type { Client } from '@okta/okta-sdk-nodejs';
import { createOktaClient } from '../../src/okta/client';
import { startOktaEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/okta';

export interface Harness {
  emulator: RunningEmulator;
  client: Client;
}

/** Starts an emulator (demo seed unless told) and an SDK client pointed at it, as production builds it. */
export async function startHarness(options: EmulatorOptions = {}, maxRateLimitRetries = 0): Promise<Harness> {
  const emulator = await startOktaEmulator(options);
  const client = createOktaClient({
    orgUrl: emulator.url,
    credentials: { kind: 'ssws', token: emulator.token },
    maxRateLimitRetries,
    requestTimeoutMs: 10_000,
  });
  return { emulator, client };
}

/** Drains an SDK Collection. */
export async function all<T>(
  collection: AsyncIterable<T | null> | Promise<AsyncIterable<T | null>>,
): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await collection) if (item) out.push(item);
  return out;
}

/** Raw JSON request through the SDK's own HTTP layer (auth, retries), for fields the SDK models drop. */
export async function raw(
  client: Client,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const request = {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
  // node-fetch's RequestInit type isn't installed, so the SDK's RequestOptions type is opaque here.
  const res = (await client.http.http(url, request as never)) as unknown as {
    status: number;
    headers: Headers;
    text(): Promise<string>;
  };
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

/** Awaits a promise expected to fail and returns the SDK's error. */
export async function failure(promise: Promise<unknown>): Promise<{
  status: number;
  errorCode: string;
  errorSummary: string;
  errorCauses: { errorSummary: string }[];
  errorId: string;
  errorLink: string;
  headers: Headers;
  message: string;
}> {
  try {
    await promise;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected the call to fail');
}
