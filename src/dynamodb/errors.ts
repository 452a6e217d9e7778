/** The records table could not be read or written (the AWS error's name is in the message, never its request). */
export class RecordsTableError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordsTableError';
  }
}
