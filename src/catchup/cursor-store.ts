/**
 * Where the System Log cursor (the last `Link: rel="next"` URL Okta gave us) is kept between runs: the local
 * database for `serve` (src/sqlite/cursor-store.ts), the records table on AWS (src/dynamodb/cursor-store.ts).
 * Saved only after the events it moves past are enqueued, so a crash in between replays them (harmless: the
 * worker converges) instead of losing them.
 */
export interface CursorStore {
  /** undefined before the first run. */
  get(): Promise<string | undefined>;
  save(cursor: string): Promise<void>;
}

/** In memory, for tests and one-off runs. */
export function memoryCursorStore(initial?: string): CursorStore & { value: string | undefined } {
  const store = {
    value: initial,
    get: async () => store.value,
    save: async (cursor: string) => {
      store.value = cursor;
    },
  };
  return store;
}
