import { X509Certificate, createHash } from 'node:crypto';
import type { Finding } from './app-config';

/*
 * The app's signing certificate as Frontline's console holds it: a pasted copy that goes stale when Okta's key
 * changes. Facts and findings only; keys are never rotated here. Pure: the clock is a parameter.
 */

export interface SigningKey {
  kid: string;
  /** Base64 DER certificates, leaf first (JWK `x5c`). */
  x5c: string[];
  /** Okta's `expiresAt` (ISO 8601); the certificate's own notAfter is used when absent. */
  expiresAt?: string | undefined;
  /** Okta's `created` (ISO 8601); the certificate's own notBefore is used when absent. */
  created?: string | undefined;
}

export interface CertificateInfo {
  kid: string;
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by ':' (as browsers and openssl show it). */
  fingerprintSha256: string;
  expiresAt: string;
  daysToExpiry: number;
  pem: string;
  /** False when the fingerprint differs from the last confirmed one (or none was confirmed yet). */
  confirmed: boolean;
}

/** The active signing key id of an app's raw JSON (`credentials.signing.kid`). */
export function activeKid(app: Readonly<Record<string, unknown>>): string | undefined {
  const kid = (app.credentials as { signing?: { kid?: unknown } } | undefined)?.signing?.kid;
  return typeof kid === 'string' && kid !== '' ? kid : undefined;
}

/**
 * The certificate-expiry warning window's default, in days: the one default of CERTIFICATE_EXPIRY_WARNING_DAYS
 * (`check`, `status`, `serve` and the scheduled run) and of the deployment's `certificateExpiryWarningDays` (the
 * CertificateExpiring alarm, and the same value passed to the reconcile function).
 */
export const DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * Inside the warning window: fewer than `warningDays` whole days left (an expired certificate included). The
 * CertificateExpiring alarm compares the same whole days (`CertificateDaysToExpiry`) the same way (LessThanThreshold).
 */
export function insideExpiryWindow(daysToExpiry: number, warningDays: number): boolean {
  return daysToExpiry < warningDays;
}

/** Whole days from `now` until `expiresAt` (negative once past it), as `daysToExpiry` reports them. */
export function daysUntil(expiresAt: string, now: Date): number {
  return Math.floor((Date.parse(expiresAt) - now.getTime()) / DAY_MS);
}

/** The key's leaf certificate (base64 DER); throws when the key carries none. */
export function leafCertificate(key: SigningKey): string {
  const der = key.x5c[0];
  if (!der) throw new Error(`signing key ${key.kid} has no x5c certificate`);
  return der;
}

/** When the key stops being valid: Okta's `expiresAt`, else the certificate's notAfter. */
export function keyExpiresAt(key: SigningKey): string {
  return key.expiresAt ?? certificateDate(leafCertificate(key), 'validTo');
}

/** When the key was made: Okta's `created`, else the certificate's notBefore. */
export function keyCreatedAt(key: SigningKey): string {
  return key.created ?? certificateDate(leafCertificate(key), 'validFrom');
}

function certificateDate(der: string, field: 'validFrom' | 'validTo'): string {
  return new Date(new X509Certificate(Buffer.from(der, 'base64'))[field]).toISOString();
}

/** The finding path of a certificate inside the warning window (or expired). */
export const EXPIRY_PATH = 'credentials.signing.expiresAt';

export function fingerprintSha256(derBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(derBase64, 'base64')).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

export function toPem(derBase64: string): string {
  const body =
    derBase64
      .replace(/\s+/g, '')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export interface ExpiryWarning {
  /** The warning window in days. @default DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS */
  warningDays?: number;
  /** What the operator does next, appended to the expiry finding (src/domain/certificate-rollover.ts). */
  nextStep?: string;
}

/**
 * The active signing certificate's facts and findings. A certificate different from the last confirmed one must be
 * re-pasted into Frontline's console (SSO breaks until it is); one inside the warning window needs a planned
 * rotation, and the finding names the next step. `lastConfirmed` undefined means none was ever recorded: no
 * "changed" finding (the caller records a baseline). Keys are never rotated here.
 */
export function certificateFindings(
  activeKey: SigningKey,
  lastConfirmedFingerprint: string | undefined,
  now: Date,
  warning: ExpiryWarning = {},
): { certificate: CertificateInfo; findings: Finding[] } {
  const der = leafCertificate(activeKey);
  const fingerprint = fingerprintSha256(der);
  const expiresAt = keyExpiresAt(activeKey);
  const daysToExpiry = daysUntil(expiresAt, now);
  const warningDays = warning.warningDays ?? DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS;
  const next = warning.nextStep ? `; next: ${warning.nextStep}` : '';
  const confirmed =
    lastConfirmedFingerprint !== undefined && sameFingerprint(lastConfirmedFingerprint, fingerprint);
  const findings: Finding[] = [];
  if (lastConfirmedFingerprint !== undefined && !confirmed) {
    findings.push({
      path: 'credentials.signing.kid',
      expected: lastConfirmedFingerprint,
      actual: fingerprint,
      severity: 'breaks-sso',
      message: `the signing certificate changed (kid ${activeKey.kid}); paste the new certificate (\`check\` prints it) into Frontline's console (Manage > SSO/Log in), then run \`check --confirm-certificate\``,
      repairable: false,
    });
  }
  if (insideExpiryWindow(daysToExpiry, warningDays)) {
    findings.push({
      path: EXPIRY_PATH,
      expected: `at least ${warningDays} days left`,
      actual: expiresAt,
      severity: daysToExpiry < 0 ? 'breaks-sso' : 'risky',
      message:
        (daysToExpiry < 0
          ? `the signing certificate expired ${-daysToExpiry} day(s) ago`
          : `the signing certificate expires in ${daysToExpiry} day(s) (warning window ${warningDays} days)`) +
        (next || '; plan a rotation and re-paste it into Frontline'),
      repairable: false,
    });
  }
  return {
    certificate: {
      kid: activeKey.kid,
      fingerprintSha256: fingerprint,
      expiresAt,
      daysToExpiry,
      pem: toPem(der),
      confirmed,
    },
    findings,
  };
}

function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return norm(a) === norm(b);
}
