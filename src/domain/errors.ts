/** Input the domain rules refuse. Messages show the bad value (never a secret) and what is allowed. */
export class RealmSidError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RealmSidError';
  }
}

/**
 * The catch-up cursor could not be read or written (either store: this table or serve's database); the run stops
 * and the next one starts from the saved cursor.
 */
export class CursorStoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CursorStoreError';
  }
}
