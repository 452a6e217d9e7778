import type { AssignmentMode } from '../domain/policy';
import { desiredAppConfig, idpIssuerOf, type AppConfigOptions } from '../domain/app-config';
import { newAppJson } from '../domain/new-app';
import { activeKid, certificateFindings, type CertificateInfo } from '../domain/signing-certificate';
import type { GuardDirectory, RawApp } from './okta-port';
import { AppGuardError, requireFrontlineApp } from './check';
import { groupAssignments as assignGroups, type GroupAssignmentState } from '../reconcile/assignments';
import { repairApp, type RepairResult } from './repair';
import type { FingerprintStore } from './fingerprint-store';

/** What Frontline's console (Manage > SSO/Log in) needs: the guide's step 5. */
export interface ConsoleValues {
  idpSsoUrl: string;
  idpIssuer: string;
  certificatePem: string;
  certificate: CertificateInfo;
}

export interface SetupResult {
  appId: string;
  action: 'created' | 'adopted';
  repair: RepairResult;
  console: ConsoleValues;
  /** Group mode: each Frontline group's assignment to the app; empty in user mode. */
  groupAssignments: GroupAssignmentState[];
}

export interface SetupInput extends AppConfigOptions {
  realmSid: string;
  /** Adopt this app (FRONTLINE_APP_ID) instead of looking it up by label. */
  appId: string | undefined;
  fingerprints: FingerprintStore;
  now: Date;
  /** `group`: also make sure each Frontline group itself is assigned to the app. @default 'user' */
  assignmentMode?: AssignmentMode;
  /** The Frontline groups (FRONTLINE_GROUP_ID / FRONTLINE_GROUP_IDS); required in group mode. */
  groupIds?: readonly string[];
  /** Take over an existing app that is not verifiably Frontline's (`setup --adopt`). @default false */
  adopt?: boolean;
}

/**
 * Creates the Frontline app from the Realm SID when none exists, or adopts the given one (or the one with the
 * configured label) and repairs it; then reads the console values from Okta's IdP metadata and records the
 * certificate's fingerprint as confirmed (the operator is about to paste it).
 */
export async function setupApp(okta: GuardDirectory, input: SetupInput): Promise<SetupResult> {
  const rules = desiredAppConfig(input.realmSid, input);
  let appId = input.appId;
  let action: SetupResult['action'] = 'adopted';
  if (appId) {
    // A wrong FRONTLINE_APP_ID fails here: Okta's not-found error, or an app that is not Frontline's.
    requireFrontlineApp(await okta.getApp(appId), rules, { adopt: input.adopt === true, flag: '--adopt' });
  } else {
    const found = await okta.findAppsByLabel(rules.label);
    if (found.length > 1) {
      throw new AppGuardError(
        `${found.length} apps are labelled "${rules.label}" (${found.map((a) => String(a.id)).join(', ')}); set FRONTLINE_APP_ID to the one to use`,
      );
    }
    if (found[0]) {
      // Never adopted by its label alone: it must point at this realm (or be this tool's), or be adopted explicitly.
      requireFrontlineApp(found[0], rules, { adopt: input.adopt === true, flag: '--adopt' });
      appId = String(found[0].id);
    } else {
      const created = await okta.createApp(newAppJson(rules.realmSid, input));
      appId = String(created.id);
      action = 'created';
    }
  }
  // Also run on a fresh app: it proves Okta kept every value we sent.
  const repair = await repairApp(okta, { appId, rules, adopt: input.adopt === true });
  const groupMode = input.assignmentMode === 'group';
  const groupAssignments = groupMode ? await assignGroups(okta, appId, input.groupIds ?? [], true) : [];
  const { values: console, app } = await readConsoleValues(okta, appId, input.now);
  // The issuer the printed one renders from goes on record with the certificate: both are about to be pasted.
  await input.fingerprints.confirm(appId, console.certificate.fingerprintSha256, input.now, idpIssuerOf(app));
  return {
    appId,
    action,
    repair,
    console: { ...console, certificate: { ...console.certificate, confirmed: true } },
    groupAssignments,
  };
}

export async function consoleValues(okta: GuardDirectory, appId: string, now: Date): Promise<ConsoleValues> {
  return (await readConsoleValues(okta, appId, now)).values;
}

/** The console values and the app they were read from (its raw IdP issuer is recorded with them). */
async function readConsoleValues(
  okta: GuardDirectory,
  appId: string,
  now: Date,
): Promise<{ values: ConsoleValues; app: RawApp }> {
  const app = await okta.getApp(appId);
  const kid = activeKid(app);
  // Okta's metadata preview requires the signing key id (Apps API `previewSAMLmetadataForApplication`).
  if (!kid) throw new AppGuardError(`app ${appId} has no active signing key, so it has no IdP metadata`);
  const metadata = await okta.getIdpMetadata(appId, kid);
  const key = (await okta.listAppKeys(appId)).find((k) => k.kid === kid) ?? {
    kid,
    x5c: [metadata.certificate],
    expiresAt: undefined,
  };
  const { certificate } = certificateFindings({ ...key, x5c: [metadata.certificate] }, undefined, now);
  const values = {
    idpSsoUrl: metadata.ssoUrl,
    idpIssuer: metadata.entityId,
    certificatePem: certificate.pem,
    certificate,
  };
  return { values, app };
}
