/**
 * Where the System Log cursor (the last `Link: rel="next"` URL Okta gave us) is kept between runs: the local
 * database for `serve` (src/sqlite/cursor-store.ts), the records table on AWS (src/dynamodb/cursor-store.ts).
 * Saved only after the events it moves past are enqueued, so a crash in between replays them (harmless: the
 * worker converges) instead of losing them.
 */
export interface CursorStore {
  /** undefined before the first run. */
  get(): Promise<SavedCursor | undefined>;
  save(cursor: string): Promise<void>;
}

export interface SavedCursor {
  /** The `next` URL Okta gave. */
  url: string;
  /** When it was saved (ISO 8601); undefined where a store did not say. */
  savedAt: string | undefined;
}

/** In memory, for tests and one-off runs. */
export function memoryCursorStore(
  initial?: string,
  now: () => Date = () => new Date(),
): CursorStore & { value: string | undefined; savedAt: string | undefined } {
  const store = {
    value: initial,
    savedAt: initial === undefined ? undefined : now().toISOString(),
    get: async () => (store.value === undefined ? undefined : { url: store.value, savedAt: store.savedAt }),
    save: async (cursor: string) => {
      store.value = cursor;
      store.savedAt = now().toISOString();
    },
  };
  return store;
}
