/** The embedded store could not be opened or written; the message names the file, never item contents. */
export class LocalStoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStoreError';
  }
}
