import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Client } from '@okta/okta-sdk-nodejs';
import { createOktaClient, OKTA_SCOPES, type OktaCredentials } from './client';
import { createOktaDirectory, type OktaDirectory } from './directory';
import { OktaPermanentError } from './errors';
import type { RateGovernor } from './rate-governor';
import { CachedSecret } from '../secrets/cached-secret';
import { parseOktaCredentialsSecret } from '../secrets/okta-credentials';

/**
 * Where the worker gets its Okta adapter. `refresh()` is called once after Okta answers 401: it re-reads the
 * credentials (a rotation needs no redeploy) and resolves to a new directory, or to undefined when there is nothing
 * newer to try (then the item fails and is retried through the queue).
 */
export interface DirectoryProvider {
  get(): Promise<OktaDirectory>;
  refresh(): Promise<OktaDirectory | undefined>;
}

/** A fixed directory, for tests and callers that manage credentials themselves. */
export function staticDirectoryProvider(directory: OktaDirectory): DirectoryProvider {
  return { get: async () => directory, refresh: async () => undefined };
}

export interface CredentialsSource {
  get(): Promise<OktaCredentials>;
  /** Fresh credentials, or undefined when they can't be fetched again yet. */
  refresh(): Promise<OktaCredentials | undefined>;
}

export interface SdkDirectoryProviderOptions {
  orgUrl: string;
  credentials: CredentialsSource;
  /** Lambdas leave 429s to the queue. @default 0 */
  maxRateLimitRetries?: number;
  requestTimeoutMs?: number;
  /** Paces calls by Okta's rate-limit headers; one per process, shared by every client built here. */
  governor?: RateGovernor;
  /** Injectable for tests. @default createOktaDirectory(createOktaClient(...)) */
  build?: (orgUrl: string, credentials: OktaCredentials) => OktaDirectory;
}

/**
 * Builds one SDK client per distinct credentials and keeps it: the SDK client (and, for a service app, its access
 * token cache) lives as long as the credentials do.
 */
export function sdkDirectoryProvider(options: SdkDirectoryProviderOptions): DirectoryProvider {
  const build =
    options.build ??
    ((orgUrl: string, credentials: OktaCredentials) =>
      createOktaDirectory(
        createOktaClient({
          orgUrl,
          credentials,
          maxRateLimitRetries: options.maxRateLimitRetries ?? 0,
          ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
          ...(options.governor ? { governor: options.governor } : {}),
        }),
      ));
  let current: { credentials: OktaCredentials; directory: OktaDirectory } | undefined;
  const directoryFor = (credentials: OktaCredentials): OktaDirectory => {
    if (!current || !sameCredentials(current.credentials, credentials)) {
      current = { credentials, directory: build(options.orgUrl, credentials) };
    }
    return current.directory;
  };
  return {
    get: async () => directoryFor(await options.credentials.get()),
    refresh: async () => {
      const before = current?.credentials;
      const fresh = await options.credentials.refresh();
      if (!fresh || (before && sameCredentials(before, fresh))) return undefined;
      return directoryFor(fresh);
    },
  };
}

function sameCredentials(a: OktaCredentials, b: OktaCredentials): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Credentials fixed for the life of the process (the local runtime reads them from the environment). */
export function staticCredentials(credentials: OktaCredentials): CredentialsSource {
  return { get: async () => credentials, refresh: async () => undefined };
}

/**
 * Credentials from the Secrets Manager secret (`{"apiToken"}` or `{"clientId","privateKey",…}`), fetched once per
 * cold start and fetched again (at most every 30 s) when Okta rejects them.
 */
export function secretsManagerCredentials(
  client: SecretsManagerClient,
  secretId: string,
  options: { minRefreshIntervalMs?: number } = {},
): CredentialsSource {
  const secret = new CachedSecret({
    client,
    secretId,
    parse: (text, id) => parseOktaCredentialsSecret(text, OKTA_SCOPES, id).credentials,
    ...(options.minRefreshIntervalMs !== undefined
      ? { minRefreshIntervalMs: options.minRefreshIntervalMs }
      : {}),
  });
  return { get: () => secret.get(), refresh: () => secret.refresh() };
}

/**
 * Runs Okta calls with a client built from the current credentials (one client per credential value, reused
 * across warm invocations); after a 401 the credentials are re-read once, so a rotation needs no redeploy. Shared
 * by the scheduled Lambdas (reconcile, catch-up); the worker's equivalent is `sdkDirectoryProvider`.
 */
export function rotatingOktaClient(
  credentials: CredentialsSource,
  build: (credentials: OktaCredentials) => Client,
): <T>(fn: (client: Client) => Promise<T>) => Promise<T> {
  let cached: { key: string; client: Client } | undefined;
  const clientFor = (value: OktaCredentials): Client => {
    const key = JSON.stringify(value);
    if (cached?.key !== key) cached = { key, client: build(value) };
    return cached.client;
  };
  return async (fn) => {
    try {
      return await fn(clientFor(await credentials.get()));
    } catch (err) {
      if (!(err instanceof OktaPermanentError && err.kind === 'auth')) throw err;
      const fresh = await credentials.refresh();
      if (!fresh) throw err;
      return fn(clientFor(fresh));
    }
  };
}
