import { randomBytes } from 'node:crypto';

/** An Okta API error as the emulator answers it: HTTP status plus Okta's JSON error body. */
export class OktaHttpError extends Error {
  override readonly name = 'OktaHttpError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly errorCauses: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${errorCode} ${errorSummary}`);
  }

  body(): OktaErrorBody {
    return oktaErrorBody(this.errorCode, this.errorSummary, this.errorCauses);
  }
}

export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

export function oktaErrorBody(errorCode: string, errorSummary: string, causes: string[] = []): OktaErrorBody {
  return {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: `oae${randomBytes(11).toString('base64url').slice(0, 19)}`,
    errorCauses: causes.map((c) => ({ errorSummary: c })),
  };
}

export const invalidToken = () => new OktaHttpError(401, 'E0000011', 'Invalid token provided');

export const validation = (causes: string[]) =>
  new OktaHttpError(
    400,
    'E0000001',
    'Api validation failed: ' + (causes[0]?.split(':')[0] ?? 'request'),
    causes,
  );

export const notFound = (what: string, kind: string) =>
  new OktaHttpError(404, 'E0000007', `Not found: Resource not found: ${what} (${kind})`);

export const noSuchEndpoint = () =>
  new OktaHttpError(404, 'E0000022', 'The endpoint does not support the provided HTTP method');

export const methodNotAllowed = () =>
  new OktaHttpError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');

export const malformedBody = () =>
  new OktaHttpError(400, 'E0000003', 'The request body was not well-formed.');

export const forbidden = () =>
  new OktaHttpError(403, 'E0000006', 'You do not have permission to perform the requested action');

export const masteredElsewhere = (source: string) =>
  new OktaHttpError(
    403,
    'E0000023',
    'Operation failed because user profile is mastered under another system',
    [`The profile of this user is mastered by ${source}`],
  );

export const rateLimited = () =>
  new OktaHttpError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');

export const concurrencyLimited = () =>
  new OktaHttpError(
    429,
    'E0000047',
    'API call exceeded rate limit due to too many requests. (concurrent request limit)',
  );
