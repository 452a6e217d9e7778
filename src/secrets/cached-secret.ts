/*
 * Secrets Manager through `@aws-sdk/client-secrets-manager` directly rather than Powertools Parameters: we need
 * exactly "fetch once per cold start, refetch on demand at most once per interval", parsing with our own schema and
 * errors that never echo the value. Powertools' cache expires by age (maxAge/forceFetch), which is not that, and it
 * would add a layer over the same client to a bundle that has to stay small.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretError } from './errors';

export interface CachedSecretOptions<T> {
  client: SecretsManagerClient;
  /** ARN or name. */
  secretId: string;
  /** Turns the SecretString into a value; throws SecretError (without echoing the text) when it can't. */
  parse: (secretString: string, secretId: string) => T;
  /**
   * The least time between two fetches caused by `refresh()`, so a stream of bad requests can't hammer
   * Secrets Manager.
   * @default 30000
   */
  minRefreshIntervalMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** One secret, fetched on first use and kept for the life of the process (one Lambda cold start). */
export class CachedSecret<T> {
  private value: T | undefined;
  private inFlight: Promise<T> | undefined;
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private readonly minRefreshIntervalMs: number;
  private readonly now: () => number;

  public constructor(private readonly options: CachedSecretOptions<T>) {
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached value, fetching it the first time (concurrent first callers share one fetch). */
  public async get(): Promise<T> {
    if (this.value !== undefined) return this.value;
    return this.fetch();
  }

  /**
   * Fetches again, e.g. after an authentication mismatch that may mean the secret was rotated. Resolves to the
   * fresh value, or to `undefined` when the last fetch was too recent to try again.
   */
  public async refresh(): Promise<T | undefined> {
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.lastFetchAt < this.minRefreshIntervalMs) return undefined;
    return this.fetch();
  }

  private fetch(): Promise<T> {
    if (this.inFlight) return this.inFlight;
    this.lastFetchAt = this.now();
    const { client, secretId, parse } = this.options;
    this.inFlight = (async () => {
      let text: string | undefined;
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        text =
          out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
      } catch (err) {
        throw new SecretError(secretId, `could not be read (${(err as Error).name ?? 'Error'})`, {
          cause: err,
        });
      }
      if (text === undefined) throw new SecretError(secretId, 'has no value');
      const parsed = parse(text, secretId);
      this.value = parsed;
      return parsed;
    })().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }
}
