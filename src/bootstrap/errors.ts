/** A custom resource request the bootstrap can't serve; its message becomes CloudFormation's failure reason. */
export class BootstrapError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BootstrapError';
  }
}
