/** The service is shutting down: no further Okta call may start (the item stays queued for the next start). */
export class ShuttingDownError extends Error {
  public constructor(options?: { cause?: unknown }) {
    super('the service is shutting down; the item stays queued', options);
    this.name = 'ShuttingDownError';
  }
}

/** A setting or credential that can never work; `serve` refuses to start and prints each problem. */
export class StartupCheckError extends Error {
  public readonly problems: string[];
  public constructor(problems: string[], options?: { cause?: unknown }) {
    super(`Cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'StartupCheckError';
    this.problems = problems;
  }
}
