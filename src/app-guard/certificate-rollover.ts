import { idpIssuerOf, type AppConfigRules } from '../domain/app-config';
import {
  rolloverState,
  rotationInfo,
  withSigningKid,
  type KeyFacts,
  type RolloverState,
} from '../domain/certificate-rollover';
import { decideStep, type RolloverStep } from '../domain/rollover-steps';
import { activeKid, fingerprintSha256, type SigningKey } from '../domain/signing-certificate';
import { AppGuardError, requireFrontlineApp } from './check';
import { RolloverNotKeptError, RolloverRefusedError } from './errors';
import type { FingerprintStore } from './fingerprint-store';
import type { GuardDirectory, RawApp } from './okta-port';

/*
 * The guided certificate rollover (`cert rotate`): each step reads where the rollover stands in Okta, refuses a step
 * out of order, leaves a step whose outcome already holds as it is, and otherwise does it. Generating a key changes
 * nothing for sign-in; switching keys is the app PUT the repair uses (the whole raw app back, only
 * `credentials.signing.kid` changed), then the app and its IdP metadata are read back before the new baseline is
 * recorded.
 */

/** What the rollover needs from Okta: the guard's app calls plus key generation (src/okta/app-keys.ts). */
export interface RolloverDirectory extends Pick<
  GuardDirectory,
  'getApp' | 'replaceApp' | 'listAppKeys' | 'getIdpMetadata'
> {
  /** A new, inactive signing key valid `validityYears` (2–10). */
  generateAppKey(appId: string, validityYears: number): Promise<SigningKey>;
}

export interface RolloverInput {
  appId: string;
  /** Frontline's rules: no key of an app that is not Frontline's is touched. */
  rules: AppConfigRules;
  /** The certificate-expiry warning window, in days. */
  warningDays: number;
  now: Date;
}

export interface RolloverView {
  appId: string;
  state: RolloverState;
  /** Okta's informational rotation fields of the signing object, when reported. */
  rotation: { lastRotated?: string; rotationMode?: string };
}

export interface RolloverOutcome extends RolloverView {
  step: RolloverStep;
  action: 'generated' | 'activated' | 'rolled-back' | 'unchanged';
  /** What the step did, or why it changed nothing. */
  message: string;
  /** The certificate Frontline's console must hold once this step is through (generate: the one to paste). */
  certificate: KeyFacts | undefined;
  /** The certificate recorded as the one in Frontline's console (activate, rollback). */
  baselineRecorded: boolean;
}

/** Where the rollover stands: the app and its keys (two reads). Writes nothing. */
export async function readRollover(okta: RolloverDirectory, input: RolloverInput): Promise<RolloverView> {
  return (await read(okta, input)).view;
}

/** One step of the rollover; throws RolloverRefusedError out of order, RolloverNotKeptError when Okta did not keep it. */
export async function runRolloverStep(
  okta: RolloverDirectory,
  fingerprints: FingerprintStore,
  input: RolloverInput & { step: RolloverStep; validityYears: number },
): Promise<RolloverOutcome> {
  const { app, view } = await read(okta, input, { write: true });
  const decision = decideStep(input.step, view.state);
  const { step } = input;
  if (decision.kind === 'refused')
    throw new RolloverRefusedError(`cert rotate --${step}: ${decision.message}`);
  if (decision.kind === 'unchanged') {
    // A repeated --activate also finishes one whose baseline was not recorded (say, the first run was cut short).
    const record = step === 'activate' && (await recordBaseline(fingerprints, input, view.state.active, app));
    return {
      ...view,
      step,
      action: 'unchanged',
      message:
        decision.message + (record ? "; recorded its certificate as the one in Frontline's console" : ''),
      certificate: step === 'generate' ? view.state.pending : view.state.active,
      baselineRecorded: record,
    };
  }
  if (step === 'generate') {
    const key = await okta.generateAppKey(input.appId, input.validityYears);
    const after = (await read(okta, input)).view;
    const made = after.state.pending?.kid === key.kid ? after.state.pending : undefined;
    if (!made)
      throw new RolloverNotKeptError(`Okta made key ${key.kid}, but it is not listed as the new key`);
    return {
      ...after,
      step,
      action: 'generated',
      message:
        `generated kid ${made.kid}, valid until ${made.expiresAt} (${made.daysToExpiry} days); the active key, ` +
        `kid ${after.state.active.kid}, is unchanged`,
      certificate: made,
      baselineRecorded: false,
    };
  }
  const target = decision.target;
  if (!target) throw new AppGuardError(`cert rotate --${step}: no key to switch to`);
  await switchSigningKey(okta, app, input.appId, target);
  await fingerprints.confirm(
    input.appId,
    target.fingerprintSha256,
    input.now,
    await issuerToRecord(fingerprints, input.appId, app),
  );
  const after = (await read(okta, input)).view;
  const from = view.state.active.kid;
  return {
    ...after,
    step,
    action: step === 'activate' ? 'activated' : 'rolled-back',
    message:
      `${step === 'activate' ? 'activated' : 'rolled back to'} kid ${target.kid} (was kid ${from}); Okta signs ` +
      "with it now and its certificate is recorded as the one in Frontline's console",
    certificate: target,
    baselineRecorded: true,
  };
}

/** Reads the app and its keys; before a write, refuses an app that is not Frontline's (nothing is written to it). */
async function read(
  okta: RolloverDirectory,
  input: RolloverInput,
  options: { write?: boolean } = {},
): Promise<{ app: RawApp; view: RolloverView }> {
  const app = await okta.getApp(input.appId);
  if (options.write) requireFrontlineApp(app, input.rules, { adopt: false, flag: '`repair --adopt`' });
  const kid = activeKid(app);
  if (!kid) throw new AppGuardError(`app ${input.appId} has no active signing key (credentials.signing.kid)`);
  const keys = await okta.listAppKeys(input.appId);
  if (!keys.some((k) => k.kid === kid))
    throw new AppGuardError(`the app's signing key ${kid} is not among its keys; run \`check\``);
  const state = rolloverState({ activeKid: kid, keys, now: input.now, warningDays: input.warningDays });
  return { app, view: { appId: input.appId, state, rotation: rotationInfo(app) } };
}

/** The PUT the repair uses, then the app and its metadata read back: Okta must sign with `target` now. */
async function switchSigningKey(
  okta: RolloverDirectory,
  app: RawApp,
  appId: string,
  target: KeyFacts,
): Promise<void> {
  await okta.replaceApp(appId, withSigningKid(app, target.kid));
  const kept = activeKid(await okta.getApp(appId));
  if (kept !== target.kid) {
    throw new RolloverNotKeptError(
      `Okta answered the switch to kid ${target.kid}, but the app's active key reads ${kept ?? '(none)'}; nothing was recorded`,
    );
  }
  const metadata = await okta.getIdpMetadata(appId, target.kid);
  const published = fingerprintSha256(metadata.certificate);
  if (published !== target.fingerprintSha256) {
    throw new RolloverNotKeptError(
      `the app's IdP metadata publishes certificate ${published}, not kid ${target.kid}'s ${target.fingerprintSha256}; nothing was recorded`,
    );
  }
}

async function recordBaseline(
  fingerprints: FingerprintStore,
  input: RolloverInput,
  active: KeyFacts,
  app: RawApp,
): Promise<boolean> {
  const recorded = await fingerprints.get(input.appId);
  if (recorded !== undefined && sameFingerprint(recorded, active.fingerprintSha256)) return false;
  await fingerprints.confirm(
    input.appId,
    active.fingerprintSha256,
    input.now,
    await issuerToRecord(fingerprints, input.appId, app),
  );
  return true;
}

/**
 * Only the certificate is re-pasted in a rollover, so the issuer on record stays; with none, the app's own (what
 * `setup` printed from) is recorded.
 */
async function issuerToRecord(fingerprints: FingerprintStore, appId: string, app: RawApp): Promise<string> {
  return (await fingerprints.getIdpIssuer?.(appId)) ?? idpIssuerOf(app);
}

const sameFingerprint = (a: string, b: string) =>
  a.replace(/[^0-9a-f]/gi, '').toUpperCase() === b.replace(/[^0-9a-f]/gi, '').toUpperCase();
