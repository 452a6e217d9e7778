/** Catch-up failures that are not Okta's (those stay OktaError subclasses). */
export class CatchupError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatchupError';
  }
}

/** The cursor store could not be read or written; the run stops and the next one starts from the saved cursor. */
export class CursorStoreError extends CatchupError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CursorStoreError';
  }
}
