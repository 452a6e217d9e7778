/**
 * Why the emulated Okta issues no SAML Response. `not-assigned`, `user-not-active` and `app-inactive` are refusals
 * Okta makes; the others are app configurations or expressions the emulator refuses to turn into an assertion
 * rather than guess (never a silently blank attribute).
 */
export type SsoRefusalCode =
  | 'unknown-app'
  | 'unknown-user'
  | 'not-saml'
  | 'app-inactive'
  | 'user-not-active'
  | 'not-assigned'
  | 'unsigned'
  | 'algorithm'
  | 'signing-key'
  | 'encryption-certificate'
  | 'expression';

/** No assertion for this app and user; `reason` says why in words an admin would recognise. */
export class SsoRefusedError extends Error {
  override readonly name = 'SsoRefusedError';
  constructor(
    readonly code: SsoRefusalCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }

  /** 404 for an app or user that doesn't exist, 403 when Okta (or the emulator) refuses. */
  get status(): 403 | 404 {
    return this.code === 'unknown-app' || this.code === 'unknown-user' ? 404 : 403;
  }
}

/** An Okta Expression Language expression the emulator can't evaluate: a syntax error or something unsupported. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly expression: string,
    readonly detail: string,
  ) {
    super(`cannot evaluate ${JSON.stringify(expression)}: ${detail}`);
  }
}
