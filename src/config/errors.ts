/**
 * The one base class of every configuration error: local settings (src/config/env.ts), each Lambda's environment
 * and the deployment file (infra/config.ts). Callers that only need "the configuration is wrong, here is why"
 * catch this; each subclass names its component.
 */
export class ConfigError extends Error {
  public readonly problems: string[];
  public constructor(message: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.problems = [...problems];
  }
}
