import type { KeyFacts, RolloverState } from './certificate-rollover';

/*
 * The guided rollover's steps (`cert rotate`): what each does, which one may run now, and why one is refused out
 * of order. A repeated step that already holds changes nothing and says so; a step whose precondition is missing is
 * refused and names the step that comes first. Pure.
 */

export type RolloverStep = 'generate' | 'activate' | 'rollback';

/** Okta's range for a new key's validity (`validityYears`, "Generate a key credential": 2–10, else 400 E0000001). */
export const VALIDITY_YEARS = { min: 2, max: 10 } as const;

/**
 * What to do for a step: `act` (with the key to switch to, for activate and rollback), `unchanged` (the step's
 * outcome already holds: idempotent) or `refused` (out of order: nothing changes).
 */
export type StepDecision =
  | { kind: 'act'; step: RolloverStep; target: KeyFacts | undefined }
  | { kind: 'unchanged'; step: RolloverStep; message: string }
  | { kind: 'refused'; step: RolloverStep; message: string };

export function decideStep(step: RolloverStep, state: RolloverState): StepDecision {
  const { active, pending, previous } = state;
  switch (step) {
    case 'generate':
      return pending
        ? {
            kind: 'unchanged',
            step,
            message:
              `a new key already waits: kid ${pending.kid} (made ${pending.created}, expires ${pending.expiresAt}); ` +
              'no other key was generated',
          }
        : { kind: 'act', step, target: undefined };
    case 'activate':
      if (pending) return { kind: 'act', step, target: pending };
      if (previous) {
        return {
          kind: 'unchanged',
          step,
          message: `the newest key, kid ${active.kid}, is already the active one: nothing waits to be activated`,
        };
      }
      return {
        kind: 'refused',
        step,
        message: `there is no new key to activate (kid ${active.kid} is the app's only valid key): run --generate first`,
      };
    case 'rollback':
      if (pending) {
        return {
          kind: 'unchanged',
          step,
          message:
            `kid ${active.kid} is active and the newer kid ${pending.kid} is not: nothing to roll back ` +
            '(it was never activated, or the rollback is done)',
        };
      }
      if (previous) return { kind: 'act', step, target: previous };
      return {
        kind: 'refused',
        step,
        message: state.expiredPrevious
          ? `the previous key, kid ${state.expiredPrevious.kid}, expired on ${state.expiredPrevious.expiresAt}: there is nothing valid to roll back to`
          : `kid ${active.kid} is the app's first key: there is no previous key to roll back to`,
      };
  }
}

/** One line of `--plan`: a step, what it does, and whether it is done or next. */
export interface PlannedStep {
  step: 'generate' | 'paste' | 'activate';
  status: 'done' | 'next' | 'then';
  does: string;
}

/** The rollover's steps in their only safe order, from where it stands; `--plan` prints them and changes nothing. */
export function planSteps(state: RolloverState, validityYears: number): PlannedStep[] {
  const pending = state.pending;
  return [
    {
      step: 'generate',
      status: pending ? 'done' : 'next',
      does: pending
        ? `the new key is kid ${pending.kid}, valid until ${pending.expiresAt}`
        : `\`cert rotate --generate${validityYears === VALIDITY_YEARS.max ? '' : ` --validity-years ${validityYears}`}\`: ` +
          `Okta makes a new signing key valid ${validityYears} years and the command prints its certificate; the ` +
          'active key, and every sign-in, stay as they are',
    },
    {
      step: 'paste',
      status: pending ? 'next' : 'then',
      does:
        "you paste the new certificate into Frontline's console (Manage > SSO/Log in > X.509 certificate; issuer " +
        'and SSO URL stay) and save. The console holds one certificate: from this save until --activate, a sign-in ' +
        'fails, so run --activate right after it',
    },
    {
      step: 'activate',
      status: 'then',
      does:
        "`cert rotate --activate`: switches the app's signing key (credentials.signing.kid) to the new key, reads " +
        "the app and its metadata back to verify, and records the new certificate as the one in Frontline's console",
    },
  ];
}

/** What `--rollback` would do from here, for `--plan`; undefined when there is nothing valid to go back to. */
export function rollbackText(state: RolloverState): string | undefined {
  if (!state.previous || state.pending) return undefined;
  return (
    `\`cert rotate --rollback\` switches back to kid ${state.previous.kid} (valid until ${state.previous.expiresAt}); ` +
    "Frontline's console must hold that certificate (it still does if sign-in failed after --activate)"
  );
}

/** A `--validity-years` value Okta accepts, or why not. */
export function validityYearsProblem(years: number): string | undefined {
  return Number.isInteger(years) && years >= VALIDITY_YEARS.min && years <= VALIDITY_YEARS.max
    ? undefined
    : `--validity-years must be a whole number from ${VALIDITY_YEARS.min} to ${VALIDITY_YEARS.max} (Okta's range)`;
}
