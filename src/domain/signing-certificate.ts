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

export const CERTIFICATE_EXPIRY_WARNING_DAYS = 30;

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

/**
 * The active signing certificate's facts and findings. A certificate different from the last confirmed one must be
 * re-pasted into Frontline's console (SSO breaks until it is); one expiring within 30 days needs a planned rotation.
 * `lastConfirmed` undefined means none was ever recorded: no "changed" finding (the caller records a baseline).
 * Keys are never rotated here.
 */
export function certificateFindings(
  activeKey: SigningKey,
  lastConfirmedFingerprint: string | undefined,
  now: Date,
): { certificate: CertificateInfo; findings: Finding[] } {
  const der = activeKey.x5c[0];
  if (!der) throw new Error(`signing key ${activeKey.kid} has no x5c certificate`);
  const fingerprint = fingerprintSha256(der);
  const expiresAt =
    activeKey.expiresAt ?? new Date(new X509Certificate(Buffer.from(der, 'base64')).validTo).toISOString();
  const daysToExpiry = Math.floor((Date.parse(expiresAt) - now.getTime()) / 86_400_000);
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
  if (daysToExpiry < CERTIFICATE_EXPIRY_WARNING_DAYS) {
    findings.push({
      path: 'credentials.signing.expiresAt',
      expected: `more than ${CERTIFICATE_EXPIRY_WARNING_DAYS} days left`,
      actual: expiresAt,
      severity: daysToExpiry < 0 ? 'breaks-sso' : 'risky',
      message:
        daysToExpiry < 0
          ? `the signing certificate expired ${-daysToExpiry} day(s) ago`
          : `the signing certificate expires in ${daysToExpiry} day(s); plan a rotation and re-paste it into Frontline`,
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
