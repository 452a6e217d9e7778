import {
  readRollover,
  runRolloverStep,
  type RolloverOutcome,
  type RolloverView,
} from '../app-guard/certificate-rollover';
import { nextStepText, type KeyFacts, type RolloverState } from '../domain/certificate-rollover';
import { planSteps, rollbackText, validityYearsProblem, VALIDITY_YEARS } from '../domain/rollover-steps';
import { createGuardDirectory } from '../okta/guard-directory';
import { createGuardContext, resolveAppId, rulesOf } from './context';
import type { CertRotateDocument } from './documents';
import { EXIT, UsageError, parseCommandArgs, runCommand, type Output } from './output';

const HELP = `Usage: npm run cli -- cert rotate --plan | --generate [--validity-years N] | --activate | --rollback
                                [--records-table <name>] [--label <label>] [--json]

The Frontline app's signing-certificate rollover, in the only safe order. Frontline's console holds one
certificate, so the new one goes into the console right before Okta signs with it:
  --plan            where the rollover stands and what each step does; changes nothing
  --generate        Okta makes a new signing key (valid --validity-years, ${VALIDITY_YEARS.min}-${VALIDITY_YEARS.max}, default ${VALIDITY_YEARS.max}) and this prints its
                    certificate for Frontline's console; the active key, and sign-in, do not change
  (you)             paste that certificate into Frontline's console (Manage > SSO/Log in) and save
  --activate        right after the paste: switch the app to the new key, read it back to verify, and record the
                    new certificate as the one in Frontline's console
  --rollback        back to the previous key while it is valid (when a sign-in fails after --activate)
  --records-table   a deployed stack's records table: record the certificate there (as check --confirm-certificate)
Every step can be run again: one already done changes nothing and says so. A step out of order is refused.
Exit 0: done (or nothing to do). Exit 1: refused, or an error.`;

const STEPS = ['plan', 'generate', 'activate', 'rollback'] as const;

export const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
  const json = args.includes('--json');
  return runCommand(json, async (out) => {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        plan: { type: 'boolean' },
        generate: { type: 'boolean' },
        activate: { type: 'boolean' },
        rollback: { type: 'boolean' },
        'validity-years': { type: 'string' },
        label: { type: 'string' },
        'records-table': { type: 'string' },
      },
      true,
    );
    if (values.help) {
      out.line(HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1 || positionals[0] !== 'rotate') throw new UsageError(HELP);
    const chosen = STEPS.filter((s) => values[s] === true);
    const step = chosen[0];
    if (chosen.length !== 1 || step === undefined)
      throw new UsageError(
        `cert rotate takes exactly one of --plan, --generate, --activate, --rollback\n\n${HELP}`,
      );
    const validityYears = parseValidityYears(values['validity-years'], step);

    const ctx = createGuardContext(env, {
      requireGroup: false,
      requireRealm: true,
      label: values.label,
      recordsTable: values['records-table'],
    });
    const input = {
      appId: await resolveAppId(ctx.okta, ctx.settings, ctx.label),
      rules: rulesOf(ctx),
      warningDays: ctx.settings.certificateExpiryWarningDays,
      now: new Date(),
    };
    const okta = createGuardDirectory(ctx.client);
    if (step === 'plan') {
      const view = await readRollover(okta, input);
      out.result(planDocument(view, validityYears));
      printPlan(out, view, validityYears);
      return EXIT.ok;
    }
    const outcome = await runRolloverStep(okta, ctx.fingerprints, { ...input, step, validityYears });
    const doc: CertRotateDocument = {
      ok: true,
      appId: outcome.appId,
      step,
      action: outcome.action,
      message: outcome.message,
      state: outcome.state,
      rotation: outcome.rotation,
      certificate: outcome.certificate,
      baselineRecorded: outcome.baselineRecorded,
      plan: planSteps(outcome.state, validityYears),
    };
    out.result(doc);
    printOutcome(out, outcome, ctx.stateFile);
    return EXIT.ok;
  });
};

function parseValidityYears(text: string | undefined, step: (typeof STEPS)[number]): number {
  if (text === undefined) return VALIDITY_YEARS.max;
  if (step !== 'generate') throw new UsageError('--validity-years goes with --generate only');
  const years = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  const problem = validityYearsProblem(years);
  if (problem) throw new UsageError(`${problem}, not "${text}"`);
  return years;
}

function planDocument(view: RolloverView, validityYears: number): CertRotateDocument {
  return {
    ok: true,
    appId: view.appId,
    step: 'plan',
    action: 'planned',
    message: nextText(view.state),
    state: view.state,
    rotation: view.rotation,
    certificate: view.state.pending,
    baselineRecorded: false,
    plan: planSteps(view.state, validityYears),
  };
}

const keyLine = (k: KeyFacts) =>
  `kid ${k.kid}, SHA-256 ${k.fingerprintSha256}, expires ${k.expiresAt} (${k.daysToExpiry} days)`;

function nextText(state: RolloverState): string {
  if (state.next !== 'none') return `next: ${nextStepText(state)}`;
  return (
    `nothing is due: ${state.active.daysToExpiry} days left, outside the ${state.warningDays}-day warning window ` +
    '(--generate starts a rollover early)'
  );
}

function printPlan(out: Output, view: RolloverView, validityYears: number): void {
  const { state, rotation } = view;
  out.line(`Signing-certificate rollover of app ${view.appId} (warning window ${state.warningDays} days)`);
  out.line(`  Active key    ${keyLine(state.active)}${state.expiring ? ' — inside the warning window' : ''}`);
  out.line(`  New key       ${state.pending ? keyLine(state.pending) : 'none yet'}`);
  out.line(`  Previous key  ${state.previous ? keyLine(state.previous) : 'none still valid'}`);
  if (rotation.lastRotated || rotation.rotationMode)
    out.line(
      `  Okta reports  last rotated ${rotation.lastRotated ?? '?'}, rotation mode ${rotation.rotationMode ?? '?'}`,
    );
  out.line('\nThe steps, in the only safe order:');
  planSteps(state, validityYears).forEach((s, i) =>
    out.line(`  ${i + 1}. ${s.step} [${s.status}]: ${s.does}`),
  );
  const rollback = rollbackText(state);
  if (rollback) out.line(`  Afterwards: ${rollback}`);
  if (state.pending) out.line(`\nThe new certificate, for Frontline's console:\n\n${state.pending.pem}`);
  else out.line(`\nThe active certificate, the one Frontline's console must hold:\n\n${state.active.pem}`);
  out.line(`\n${capitalize(nextText(state))}.`);
  out.line('Nothing was changed.');
}

function printOutcome(out: Output, outcome: RolloverOutcome, where: string): void {
  out.line(`${capitalize(outcome.message)}.`);
  const cert = outcome.certificate;
  if (outcome.step === 'generate' && cert) {
    out.line(
      `\nPaste this certificate into Frontline's console (Manage > SSO/Log in > X.509 certificate; issuer and SSO ` +
        `URL stay) and save:\n\n${cert.pem}`,
    );
    out.line(`SHA-256 fingerprint: ${cert.fingerprintSha256}`);
    out.line(
      '\nThen run `npm run cli -- cert rotate --activate` right away: the console holds one certificate, so from ' +
        'your save until Okta signs with the new key, a sign-in fails.',
    );
    return;
  }
  if (outcome.baselineRecorded) out.line(`Recorded kid ${cert?.kid ?? '?'}'s certificate in ${where}.`);
  if (outcome.action === 'activated') {
    out.line(
      'Sign in to Frontline once to check. If that fails, run `npm run cli -- cert rotate --rollback`: the ' +
        'console then still holds the old certificate (or paste the new one, which --plan prints, and sign in again).',
    );
  }
  if (outcome.action === 'rolled-back' && cert) {
    out.line(
      `\nFrontline's console must hold this certificate (it still does if sign-in failed after --activate; ` +
        `if you pasted the new one, paste this one back):\n\n${cert.pem}`,
    );
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
