import { X509Certificate } from 'node:crypto';
import {
  certificateFindings,
  DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS,
  EXPIRY_PATH,
  insideExpiryWindow,
  keyCreatedAt,
  leafCertificate,
} from '../../src/domain/signing-certificate';
import { CERT_DER_BASE64 } from '../app-guard/cert-fixture';

const DAY = 86_400_000;
const key = { kid: 'kid-1', x5c: [CERT_DER_BASE64], expiresAt: '2027-06-01T00:00:00.000Z' };
const fingerprint = new X509Certificate(Buffer.from(CERT_DER_BASE64, 'base64')).fingerprint256;
/** The clock `days` whole days before the key expires. */
const daysBefore = (days: number) => new Date(Date.parse(key.expiresAt) - days * DAY);
const expiryFindings = (now: Date, warning: Parameters<typeof certificateFindings>[3] = {}) =>
  certificateFindings(key, fingerprint, now, warning).findings.filter((f) => f.path === EXPIRY_PATH);

describe('Function: certificateFindings, the warning window at its edges', () => {
  it('defaults the window to 30 days', () => {
    expect(DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS).toBe(30);
  });

  it.each([
    [29, 1],
    [30, 0],
    [31, 0],
  ])('with %i days left reports %i finding(s) in the default 30-day window', (days, count) => {
    const { certificate } = certificateFindings(key, fingerprint, daysBefore(days));
    expect(certificate.daysToExpiry).toBe(days);
    expect(expiryFindings(daysBefore(days))).toHaveLength(count);
  });

  it('counts whole days: 29 days and 23 hours left is 29 days, inside the window', () => {
    const now = new Date(Date.parse(key.expiresAt) - 30 * DAY + 3_600_000);
    expect(certificateFindings(key, fingerprint, now).certificate.daysToExpiry).toBe(29);
    expect(expiryFindings(now)).toHaveLength(1);
  });

  it.each([
    [44, 1],
    [45, 0],
    [46, 0],
  ])('with %i days left reports %i finding(s) in a 45-day window', (days, count) => {
    expect(expiryFindings(daysBefore(days), { warningDays: 45 })).toHaveLength(count);
  });

  it('says the days left and the window, and names the next step it is given', () => {
    const [finding] = expiryFindings(daysBefore(12), {
      warningDays: 30,
      nextStep: 'run `cert rotate --generate`',
    });
    expect(finding).toMatchObject({
      severity: 'risky',
      expected: 'at least 30 days left',
      actual: key.expiresAt,
      repairable: false,
    });
    expect(finding?.message).toBe(
      'the signing certificate expires in 12 day(s) (warning window 30 days); next: run `cert rotate --generate`',
    );
  });

  it('reports an expired certificate as breaking sign-in, with the next step', () => {
    const [finding] = expiryFindings(new Date(Date.parse(key.expiresAt) + 3 * DAY), { nextStep: 'do X' });
    expect(finding).toMatchObject({ severity: 'breaks-sso' });
    expect(finding?.message).toBe('the signing certificate expired 3 day(s) ago; next: do X');
  });
});

describe('Function: insideExpiryWindow', () => {
  it('holds below the window only, as the CertificateExpiring alarm compares (LessThanThreshold)', () => {
    expect([29, 30, 31].map((d) => insideExpiryWindow(d, 30))).toEqual([true, false, false]);
    expect(insideExpiryWindow(-1, 1)).toBe(true);
  });
});

describe('Function: keyCreatedAt', () => {
  it("uses Okta's created, else the certificate's notBefore", () => {
    expect(keyCreatedAt({ ...key, created: '2026-01-01T00:00:00.000Z' })).toBe('2026-01-01T00:00:00.000Z');
    const notBefore = new X509Certificate(Buffer.from(CERT_DER_BASE64, 'base64')).validFrom;
    expect(keyCreatedAt(key)).toBe(new Date(notBefore).toISOString());
  });
});

describe('Function: leafCertificate', () => {
  it('refuses a key without a certificate', () => {
    expect(() => leafCertificate({ kid: 'bare', x5c: [] })).toThrow(
      'signing key bare has no x5c certificate',
    );
  });
});
