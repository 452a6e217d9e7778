/** `explain` cannot answer for this input (no such user). */
export class ExplainError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExplainError';
  }
}
