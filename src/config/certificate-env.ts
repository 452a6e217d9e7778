import * as z from 'zod';
import { DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS } from '../domain/signing-certificate';
import { optionalString } from './env-schema';

/**
 * The certificate-expiry warning window, read the same way by the CLI, `serve` (src/config/env.ts) and the
 * reconcile function (src/reconcile/lambda-config.ts); the deployment passes its `certificateExpiryWarningDays`, the
 * CertificateExpiring alarm's threshold, as this variable. One setting, one default
 * (src/domain/signing-certificate.ts).
 */

const RANGE = 'must be a whole number of days from 1 to 365';

export const certificateEnvShape = {
  CERTIFICATE_EXPIRY_WARNING_DAYS: optionalString
    .pipe(
      z.coerce
        .number<string | undefined>({ error: RANGE })
        .int({ error: RANGE })
        .min(1, { error: RANGE })
        .max(365, { error: RANGE })
        .optional(),
    )
    .describe(
      'Days before the SAML signing certificate expires from which `check` and `status` report it (exit 2) and ' +
        'name the next step of `cert rotate`; the scheduled run reports it the same way. On AWS the deployment ' +
        "sets it from `certificateExpiryWarningDays`, the CertificateExpiring alarm's threshold. " +
        `Default: \`${DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS}\`.`,
    ),
};

/** The warning window from a parsed certificateEnvShape, its default applied. */
export function certificateExpiryWarningDaysOf(d: {
  CERTIFICATE_EXPIRY_WARNING_DAYS?: number | undefined;
}): number {
  return d.CERTIFICATE_EXPIRY_WARNING_DAYS ?? DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS;
}
