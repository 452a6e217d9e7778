/** Catch-up failures that are not Okta's (those stay OktaError subclasses). */
export class CatchupError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatchupError';
  }
}
