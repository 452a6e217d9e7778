import { withRecordedIdpIssuer, type AppConfigRules, type Finding } from '../domain/app-config';
import { checkAppRules, type FederatedClaim } from '../domain/federated-claims';
import { identifyApp, type AppTarget } from '../domain/app-target';
import { nextStepText, rolloverState } from '../domain/certificate-rollover';
import {
  activeKid,
  certificateFindings,
  DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS,
  type CertificateInfo,
} from '../domain/signing-certificate';
import type { GuardDirectory, RawApp } from './okta-port';

export interface AppCheckResult {
  appId: string;
  app: RawApp;
  /** The app's federated claims, read beside it. */
  claims: FederatedClaim[];
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

/** The app named by FRONTLINE_APP_ID (or found by label) is not verifiably Frontline's: nothing is written to it. */
export class AppTargetError extends AppGuardError {
  public constructor(message: string) {
    super(message);
    this.name = 'AppTargetError';
  }
}

/** The finding path of an app that is not Frontline's (src/domain/app-target.ts). */
export const TARGET_PATH = 'target';

/** Refuses an app that is not Frontline's unless the operator adopts it (`--adopt`). */
export function requireFrontlineApp(
  app: RawApp,
  rules: Pick<AppConfigRules, 'acsUrl' | 'audience'> | undefined,
  options: { adopt?: boolean; flag: string },
): AppTarget {
  const target = identifyApp(app, rules);
  if (!target.frontline && !options.adopt) {
    throw new AppTargetError(
      `${target.reason}; nothing was written. Point FRONTLINE_APP_ID at Frontline's app, or pass ${options.flag} ` +
        "to take this one over (its sign-in for the app's current users then breaks)",
    );
  }
  return target;
}

/** Reads the app (raw), its federated claims and its signing keys: three calls. Never writes. */
export async function checkApp(
  okta: GuardDirectory,
  input: {
    appId: string;
    rules: AppConfigRules;
    lastConfirmedFingerprint: string | undefined;
    /** The IdP issuer recorded with that certificate (what Frontline's console holds); undefined: not known. */
    recordedIdpIssuer?: string | undefined;
    now: Date;
    /** The certificate-expiry warning window (CERTIFICATE_EXPIRY_WARNING_DAYS); its default when absent. */
    expiryWarningDays?: number | undefined;
  },
): Promise<AppCheckResult> {
  const app = await okta.getApp(input.appId);
  const claims = await okta.listFederatedClaims(input.appId);
  const target = identifyApp(app, input.rules);
  const findings: Finding[] = target.frontline
    ? []
    : [
        {
          path: TARGET_PATH,
          expected: input.rules.acsUrl,
          actual: app.label ?? null,
          severity: 'breaks-sso',
          message: `${target.reason}: nothing will be repaired (\`repair --adopt\` takes it over)`,
          repairable: false,
        },
      ];
  findings.push(...checkAppRules(app, withRecordedIdpIssuer(input.rules, input.recordedIdpIssuer), claims));
  const kid = activeKid(app);
  let certificate: CertificateInfo | undefined;
  if (kid) {
    const keys = await okta.listAppKeys(input.appId);
    const key = keys.find((k) => k.kid === kid);
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
      // Inside the warning window the finding names the rollover's next step (`cert rotate`).
      const warningDays = input.expiryWarningDays ?? DEFAULT_CERTIFICATE_EXPIRY_WARNING_DAYS;
      const nextStep = nextStepText(rolloverState({ activeKid: kid, keys, now: input.now, warningDays }));
      const cert = certificateFindings(key, input.lastConfirmedFingerprint, input.now, {
        warningDays,
        nextStep,
      });
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
  return { appId: input.appId, app, claims, findings, certificate };
}
