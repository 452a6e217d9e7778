/**
 * Okta failures, sorted by what the caller should do about them. The adapter maps every SDK/HTTP error to one
 * of these, so nothing above it inspects status codes. Messages carry Okta's error code and summary, never
 * request headers (which hold the credentials).
 */
export type OktaFailureKind =
  | 'not-found' // Okta's own 404 E0000007, and nothing else (./okta-answer.ts): the thing is gone
  | 'mastered-elsewhere' // 403 E0000023: profile owned by an external directory
  | 'forbidden' // 403 other than E0000023: the credential lacks a scope/role
  | 'validation' // 400 E0000001 and other 4xx bodies Okta rejects
  | 'auth' // 401 E0000011: the credential is wrong or expired
  | 'invalid-request' // refused before sending: not an Okta id, or not encodable in a URL (a lone surrogate)
  | 'invalid-private-key'; // the service app's private key can't be read: no token request can ever succeed

export class OktaError extends Error {
  public readonly status: number | undefined;
  public readonly errorCode: string | undefined;
  public constructor(
    message: string,
    options: { status?: number; errorCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'OktaError';
    this.status = options.status;
    this.errorCode = options.errorCode;
  }
}

/** 429 E0000047: try again once the bucket resets. `resetAt` is epoch milliseconds on our clock. */
export class OktaRateLimitedError extends OktaError {
  public readonly resetAt: number;
  public constructor(
    message: string,
    resetAt: number,
    options: { status?: number; errorCode?: string; cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'OktaRateLimitedError';
    this.resetAt = resetAt;
  }
}

/** 5xx, timeouts, connection resets, answers that are not Okta's (./okta-answer.ts): worth retrying with backoff. */
export class OktaTransientError extends OktaError {
  public constructor(
    message: string,
    options: { status?: number; errorCode?: string; cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'OktaTransientError';
  }
}

/** Retrying will not help: the caller records a skip (or, for `auth`, refreshes credentials once). */
export class OktaPermanentError extends OktaError {
  public readonly kind: OktaFailureKind;
  public constructor(
    message: string,
    kind: OktaFailureKind,
    options: { status?: number; errorCode?: string; cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'OktaPermanentError';
    this.kind = kind;
  }
}

/** Okta's answer pointed us at another origin (a `Link: rel="next"` off the org): not followed, never retried. */
export class OktaForeignLinkError extends OktaError {
  public constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'OktaForeignLinkError';
  }
}

/** Okta's SAML metadata lacks what Frontline's console needs, or is not XML. */
export class MetadataParseError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetadataParseError';
  }
}
