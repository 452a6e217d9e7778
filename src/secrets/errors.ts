/** A secret could not be read or has the wrong shape. Messages name the secret and the field, never a value. */
export class SecretError extends Error {
  public readonly secretId: string;
  public constructor(secretId: string, message: string, options?: { cause?: unknown }) {
    super(`Secret ${secretId}: ${message}`, options);
    this.name = 'SecretError';
    this.secretId = secretId;
  }
}
