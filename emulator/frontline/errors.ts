/**
 * Twilio's REST error body: `{ code, message, more_info, status }` as JSON, with the HTTP status repeated in
 * `status` (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions; each code has a page
 * under https://www.twilio.com/docs/api/errors/<code>).
 */
export class TwilioHttpError extends Error {
  public constructor(
    public readonly status: number,
    public readonly code: number,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'TwilioHttpError';
  }

  public body(): { code: number; message: string; more_info: string; status: number } {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }
}

/** 20003: missing or wrong credentials (https://www.twilio.com/docs/api/errors/20003). */
export const authenticationFailed = () =>
  new TwilioHttpError(401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });

/** 20404 (https://www.twilio.com/docs/api/errors/20404); Twilio names the path it could not find. */
export const notFound = (path: string) =>
  new TwilioHttpError(404, 20404, `The requested resource ${path} was not found`);

/** 20429 (https://www.twilio.com/docs/api/errors/20429). */
export const tooManyRequests = () => new TwilioHttpError(429, 20429, 'Too Many Requests');

/** 20001 invalid parameter (https://www.twilio.com/docs/api/errors/20001). */
export const invalidParameter = (message: string) => new TwilioHttpError(400, 20001, message);

/** 20004 (https://www.twilio.com/docs/api/errors/20004). */
export const methodNotAllowed = (method: string) =>
  new TwilioHttpError(405, 20004, `Method ${method} not allowed`);

/** 20500 / 20503: Twilio's internal error and service-unavailable codes. */
export const serverError = (status: number) =>
  status === 503
    ? new TwilioHttpError(503, 20503, 'Service Unavailable')
    : new TwilioHttpError(status, 20500, 'Internal Server Error');

/** A console SSO value the emulator can't take (`PUT /__emulator/sso/{realmSid}` answers 400 with it). */
export class SsoConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SsoConfigError';
  }
}

/**
 * A sign-in the assertion consumer refuses: `code` is Frontline's error number where Twilio's material gives one
 * (70252, 70002), otherwise a stable name of the check that failed; `reason` says what was wrong.
 */
export class SamlSignInError extends Error {
  public constructor(
    public readonly status: 400 | 403 | 404,
    public readonly code: SsoFailureCode,
    public readonly reason: string,
  ) {
    super(reason);
    this.name = 'SamlSignInError';
  }
}

/** Every code the assertion consumer answers with (emulator/frontline/README.md, "Sign-in"). */
export type SsoFailureCode =
  | 70252
  | 70002
  | 'malformed_request'
  | 'sso_not_configured'
  | 'encrypted_assertion'
  | 'response_not_signed'
  | 'assertion_not_signed'
  | 'response_signature_invalid'
  | 'assertion_signature_invalid'
  | 'assertion_expired'
  | 'assertion_not_yet_valid'
  | 'audience_mismatch'
  | 'issuer_mismatch'
  | 'destination_mismatch'
  | 'recipient_mismatch'
  | 'subject_confirmation_expired'
  | 'name_id_missing'
  | 'email_missing'
  | 'user_deactivated'
  | 'saml_invalid';
