import { checkAppConfig, type AppConfigRules, type Finding } from '../domain/app-config';
import { activeKid, certificateFindings, type CertificateInfo } from '../domain/signing-certificate';
import type { GuardDirectory, RawApp } from './okta-port';

export interface AppCheckResult {
  appId: string;
  app: RawApp;
  /** Config findings (repairable) followed by certificate findings (not repairable). */
  findings: Finding[];
  certificate: CertificateInfo | undefined;
}

export class AppGuardError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppGuardError';
  }
}

/** Reads the app (raw) and its signing keys: two calls. Never writes. */
export async function checkApp(
  okta: GuardDirectory,
  input: { appId: string; rules: AppConfigRules; lastConfirmedFingerprint: string | undefined; now: Date },
): Promise<AppCheckResult> {
  const app = await okta.getApp(input.appId);
  const findings = checkAppConfig(app, input.rules);
  const kid = activeKid(app);
  let certificate: CertificateInfo | undefined;
  if (kid) {
    const key = (await okta.listAppKeys(input.appId)).find((k) => k.kid === kid);
    if (!key) {
      findings.push({
        path: 'credentials.signing.kid',
        expected: 'a key listed under /credentials/keys',
        actual: kid,
        severity: 'breaks-sso',
        message: `the app's signing key ${kid} is not among its keys`,
        repairable: false,
      });
    } else {
      const cert = certificateFindings(key, input.lastConfirmedFingerprint, input.now);
      certificate = cert.certificate;
      findings.push(...cert.findings);
    }
  } else if (app.signOnMode === 'SAML_2_0') {
    findings.push({
      path: 'credentials.signing.kid',
      expected: 'an active signing key',
      actual: null,
      severity: 'breaks-sso',
      message: 'the app has no active signing key',
      repairable: false,
    });
  }
  return { appId: input.appId, app, findings, certificate };
}
