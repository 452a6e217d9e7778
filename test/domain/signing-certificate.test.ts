import { X509Certificate } from 'node:crypto';
import { certificateFindings } from '../../src/domain/signing-certificate';
import { CERT_DER_BASE64 } from '../app-guard/cert-fixture';

describe('Function: certificateFindings', () => {
  const key = { kid: 'kid-1', x5c: [CERT_DER_BASE64], expiresAt: '2027-06-01T00:00:00.000Z' };
  const now = new Date('2027-01-01T00:00:00.000Z');
  const nodeFingerprint = new X509Certificate(Buffer.from(CERT_DER_BASE64, 'base64')).fingerprint256;

  it('reports the SHA-256 fingerprint as openssl shows it, the PEM and days to expiry', () => {
    const { certificate, findings } = certificateFindings(key, nodeFingerprint, now);
    expect(certificate.fingerprintSha256).toBe(nodeFingerprint);
    expect(certificate.daysToExpiry).toBe(151);
    expect(certificate.confirmed).toBe(true);
    expect(new X509Certificate(certificate.pem).fingerprint256).toBe(nodeFingerprint);
    expect(findings).toEqual([]);
  });

  it('matches a confirmed fingerprint regardless of case and separators', () => {
    const loose = nodeFingerprint.replace(/:/g, '').toLowerCase();
    expect(certificateFindings(key, loose, now).findings).toEqual([]);
  });

  it('reports a certificate that changed since it was confirmed as breaking SSO', () => {
    const { findings, certificate } = certificateFindings(key, 'AB:CD', now);
    expect(certificate.confirmed).toBe(false);
    expect(findings).toEqual([
      expect.objectContaining({
        path: 'credentials.signing.kid',
        actual: nodeFingerprint,
        severity: 'breaks-sso',
        repairable: false,
      }),
    ]);
  });

  it('records no change finding when nothing was confirmed yet', () => {
    const { findings, certificate } = certificateFindings(key, undefined, now);
    expect(findings).toEqual([]);
    expect(certificate.confirmed).toBe(false);
  });

  it('warns 29 days before expiry but not 31 days before', () => {
    const at = (days: number) => new Date(Date.parse(key.expiresAt) - days * 86_400_000);
    expect(certificateFindings(key, nodeFingerprint, at(31)).findings).toEqual([]);
    expect(certificateFindings(key, nodeFingerprint, at(29)).findings).toEqual([
      expect.objectContaining({ path: 'credentials.signing.expiresAt', severity: 'risky' }),
    ]);
  });

  it('reports an expired certificate as breaking SSO', () => {
    const { findings } = certificateFindings(key, nodeFingerprint, new Date('2027-07-01T00:00:00Z'));
    expect(findings[0]).toMatchObject({
      severity: 'breaks-sso',
      message: expect.stringContaining('expired'),
    });
  });

  it('falls back to the certificate’s own notAfter when the key has no expiresAt', () => {
    const { certificate } = certificateFindings({ kid: 'k', x5c: [CERT_DER_BASE64] }, undefined, now);
    const notAfter = new X509Certificate(Buffer.from(CERT_DER_BASE64, 'base64')).validTo;
    expect(certificate.expiresAt).toBe(new Date(notAfter).toISOString());
  });
});
