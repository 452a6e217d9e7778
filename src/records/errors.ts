/** The records table could not be read or written (the AWS error's name is in the message, never its request). */
export class RecordsTableError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordsTableError';
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
