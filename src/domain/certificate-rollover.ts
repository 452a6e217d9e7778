import type { RawApp } from './okta-app';
import {
  daysUntil,
  fingerprintSha256,
  insideExpiryWindow,
  keyCreatedAt,
  keyExpiresAt,
  leafCertificate,
  toPem,
  type SigningKey,
} from './signing-certificate';

/*
 * Where a signing-certificate rollover stands, read from Okta's own facts: the app's active key
 * (`credentials.signing.kid`) and its keys (`/credentials/keys`). Frontline's console holds one certificate, so
 * the rollover is three steps in one order: generate a key (nothing changes for sign-in), paste its certificate
 * into Frontline's console, switch the app to it. A key made after the active one is the rollover's new key; the
 * newest key made before it is where a rollback goes. Pure: the clock is a parameter.
 */

/** One key as the rollover shows it (never a private key: Okta keeps those). */
export interface KeyFacts {
  kid: string;
  fingerprintSha256: string;
  created: string;
  expiresAt: string;
  /** Whole days left; negative once expired. */
  daysToExpiry: number;
  pem: string;
}

/** What the operator does next: start a rollover, finish one, or nothing is due. */
export type NextStep = 'generate' | 'paste-and-activate' | 'none';

export interface RolloverState {
  active: KeyFacts;
  /** The newest key made after the active one and good for longer than the warning window: the new key. */
  pending: KeyFacts | undefined;
  /** The newest key made before the active one that is still valid: where `--rollback` goes. */
  previous: KeyFacts | undefined;
  /** The newest key made before the active one when it has expired (no rollback to it). */
  expiredPrevious: KeyFacts | undefined;
  /** The active certificate is inside the warning window (or expired). */
  expiring: boolean;
  warningDays: number;
  next: NextStep;
}

export function keyFacts(key: SigningKey, now: Date): KeyFacts {
  const der = leafCertificate(key);
  const expiresAt = keyExpiresAt(key);
  return {
    kid: key.kid,
    fingerprintSha256: fingerprintSha256(der),
    created: keyCreatedAt(key),
    expiresAt,
    daysToExpiry: daysUntil(expiresAt, now),
    pem: toPem(der),
  };
}

/**
 * The rollover's state. Keys are ordered by `created`; Okta gives it in whole seconds, so keys made in the same
 * second keep the order Okta lists them in. `keys` must hold the active key; other keys without a certificate are
 * left out.
 */
export function rolloverState(input: {
  activeKid: string;
  keys: readonly SigningKey[];
  now: Date;
  warningDays: number;
}): RolloverState {
  // A key without a certificate can't be pasted into Frontline's console: it is no rollover's key.
  const ordered = input.keys
    .filter((key) => key.kid === input.activeKid || key.x5c[0] !== undefined)
    .map((key, index) => ({ facts: keyFacts(key, input.now), index }))
    .sort((a, b) => Date.parse(a.facts.created) - Date.parse(b.facts.created) || a.index - b.index)
    .map((k) => k.facts);
  const at = ordered.findIndex((k) => k.kid === input.activeKid);
  const active = ordered[at];
  if (!active) throw new Error(`the active key ${input.activeKid} is not among the app's keys`);
  const newer = ordered.slice(at + 1).reverse();
  const older = ordered.slice(0, at).reverse();
  const pending = newer.find((k) => !insideExpiryWindow(k.daysToExpiry, input.warningDays));
  const previous = older.find((k) => k.daysToExpiry >= 0);
  const expiring = insideExpiryWindow(active.daysToExpiry, input.warningDays);
  return {
    active,
    pending,
    previous,
    expiredPrevious: previous ? undefined : older[0],
    expiring,
    warningDays: input.warningDays,
    next: pending ? 'paste-and-activate' : expiring ? 'generate' : 'none',
  };
}

const CLI = 'npm run cli -- cert rotate';

/** The next step in the operator's words, for `check`, `status` and the expiry finding. */
export function nextStepText(state: RolloverState): string {
  if (state.pending) {
    return (
      `paste the new certificate (kid ${state.pending.kid}; \`${CLI} --plan\` prints it) into Frontline's console, ` +
      `then run \`${CLI} --activate\` right away`
    );
  }
  return (
    `run \`${CLI} --generate\`, paste the certificate it prints into Frontline's console, then run ` +
    `\`${CLI} --activate\` right away`
  );
}

/**
 * The app's raw JSON with `credentials.signing.kid` set to `kid`, everything else as read: the whole object goes
 * back in the full-replace PUT, as the repair sends it. The signing object's read-only fields (`lastRotated`,
 * `nextRotation`) are Okta's and are not sent back.
 */
export function withSigningKid(app: RawApp, kid: string): RawApp {
  const body = structuredClone(app) as RawApp & { credentials?: Record<string, unknown> };
  const credentials = (body.credentials ??= {});
  const signing = { ...((credentials.signing as Record<string, unknown> | undefined) ?? {}) };
  delete signing.lastRotated;
  delete signing.nextRotation;
  credentials.signing = { ...signing, kid };
  return body;
}

/** Okta's informational rotation fields of the signing object, when it reports them. */
export function rotationInfo(app: RawApp): { lastRotated?: string; rotationMode?: string } {
  const signing = (app.credentials as { signing?: Record<string, unknown> } | undefined)?.signing ?? {};
  return {
    ...(typeof signing.lastRotated === 'string' ? { lastRotated: signing.lastRotated } : {}),
    ...(typeof signing.rotationMode === 'string' ? { rotationMode: signing.rotationMode } : {}),
  };
}
