import type { AppConfigRules } from './app-config';
import { FRONTLINE_USER_TYPE } from './desired-state';
import type { FederatedClaim } from './federated-claims';
import type { RawApp } from './okta-app';
import { nameIdEmailNote } from './name-id-email';

/*
 * What Frontline would receive if the user signed in now, and why the sign-in would fail, computed from the app's
 * configuration and the user's profile as Okta builds the assertion (the Okta emulator models the same, on its own,
 * in emulator/okta/sso/). Frontline's identity for an agent is the SAML NameID: the app username. Pure.
 */

export interface ExpectedAttribute {
  name: string;
  /** Undefined when the expression is one this tool can't evaluate (Okta may still: see `problem`). */
  value: string | undefined;
  problem?: string;
  /** Set for a federated claim (its id); absent for a legacy attribute statement. */
  claimId?: string;
}

export interface ExpectedSignIn {
  /** The SAML NameID: the assignment's username; undefined when the user is not assigned. */
  nameId: string | undefined;
  attributes: ExpectedAttribute[];
  /** Why the sign-in would fail (Okta's refusals first, then Frontline's); empty when it would succeed. */
  fails: string[];
  /** When the NameID is not the `email` attribute: what that means and the remedy (./name-id-email.ts). */
  nameIdNotEmail?: string;
}

export interface SignInInput {
  app: RawApp;
  /** The app rules when the Realm SID is known: the assertion's addresses are then checked against the realm. */
  rules: Pick<AppConfigRules, 'acsUrl' | 'audience'> | undefined;
  user: { status: string; profile: Readonly<Record<string, unknown>> };
  /** The app user (the assignment), null when the user is not assigned. */
  appUser: { userName: string | undefined } | null;
  /** The app's federated claims, sent beside the legacy attribute statements. @default none */
  claims?: readonly FederatedClaim[];
}

type SignOn = Record<string, unknown> & {
  attributeStatements?: { name?: unknown; values?: unknown }[];
  assertionEncryption?: { enabled?: unknown };
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function expectedSignIn(input: SignInInput): ExpectedSignIn {
  const signOn = ((input.app.settings as { signOn?: SignOn } | undefined)?.signOn ?? {}) as SignOn;
  const fails: string[] = [];
  // Okta's refusals: it issues no assertion at all.
  if (input.app.status !== 'ACTIVE') fails.push('the Frontline app is inactive: Okta refuses every sign-in');
  if (!input.appUser) fails.push('not assigned to the Frontline app: Okta refuses the sign-in');
  if (input.user.status !== 'ACTIVE') fails.push(`user is ${input.user.status}: Okta refuses the sign-in`);
  const nameId = input.appUser?.userName;
  if (input.appUser && !nameId) fails.push('the assignment has no username: the assertion has no NameID');

  // What Frontline checks in the assertion.
  if (signOn.assertionEncryption?.enabled === true) {
    fails.push(
      'the assertion is encrypted (assertionEncryption on): Frontline accepts only unencrypted assertions',
    );
  }
  if (signOn.responseSigned !== true && signOn.assertionSigned !== true) {
    fails.push('neither the response nor the assertion is signed: Frontline refuses an unsigned assertion');
  }
  if (input.rules) {
    const acs = input.rules.acsUrl;
    // Okta's form posts the Response to the ACS URL, or to its CASB override (the browser goes where it says).
    const postedTo = text(signOn.ssoAcsUrlOverride) ?? text(signOn.ssoAcsUrl);
    if (postedTo !== acs) fails.push(`Okta's form posts the Response to ${postedTo ?? 'no URL'}, not ${acs}`);
    const destination = text(signOn.destinationOverride) ?? text(signOn.destination);
    const recipient = text(signOn.recipientOverride) ?? text(signOn.recipient);
    const audience = text(signOn.audienceOverride) ?? text(signOn.audience);
    if (destination !== acs)
      fails.push(`the response's Destination is ${destination ?? 'unset'}, not ${acs}`);
    if (recipient !== acs) fails.push(`the assertion's Recipient is ${recipient ?? 'unset'}, not ${acs}`);
    if (audience !== input.rules.audience) {
      fails.push(`the assertion's Audience is ${audience ?? 'unset'}, not ${input.rules.audience}`);
    }
  }
  // The legacy statements, then the federated claims: Okta documents neither the order nor whether it sends both
  // of one name; Frontline reads the first email and every roles value (emulator/frontline/saml-attributes.ts).
  const attributes: ExpectedAttribute[] = [
    ...(signOn.attributeStatements ?? []).map((s) => attributeOf(s, input.user.profile)),
    ...(input.claims ?? []).map((c) => claimAttributeOf(c, input.user.profile)),
  ];
  for (const wanted of ['email', 'roles']) {
    const found = attributes.filter((a) => a.name === wanted);
    const cased = attributes.find((a) => a.name !== wanted && a.name.toLowerCase() === wanted);
    const problem = found.find((a) => a.value === undefined && a.problem);
    if (found.length === 0) {
      fails.push(
        cased
          ? `the attribute is named "${cased.name}": Frontline reads exactly "${wanted}" (names are case-sensitive)`
          : `no "${wanted}" attribute: Frontline needs it`,
      );
    } else if (problem) {
      fails.push(
        `"${wanted}"${problem.claimId ? ` (federated claim ${problem.claimId})` : ''}: ${problem.problem}`,
      );
    } else if (!found.some((a) => a.value)) {
      fails.push(`"${wanted}" is empty for this user`);
    }
  }
  for (const roles of attributes.filter((a) => a.name === 'roles' && a.value)) {
    if (roles.value !== FRONTLINE_USER_TYPE)
      fails.push(
        `"roles" is "${roles.value}": Frontline signs in users with the "${FRONTLINE_USER_TYPE}" role`,
      );
  }
  const nameIdNotEmail = nameIdEmailNote(nameId, attributes.find((a) => a.name === 'email')?.value);
  return { nameId, attributes, fails, ...(nameIdNotEmail ? { nameIdNotEmail } : {}) };
}

/**
 * A federated claim's value. Claims are Okta Expression Language in Identity Engine: a profile attribute is
 * `user.profile.<attribute>`, and `user.<property>` names only the user's top-level properties (`id`, `status`…;
 * developer.okta.com "Okta Expression Language in Identity Engine", "Okta user profile"). This tool evaluates
 * literals and profile attributes; anything else is said to be beyond it, never guessed.
 */
function claimAttributeOf(
  claim: FederatedClaim,
  profile: Readonly<Record<string, unknown>>,
): ExpectedAttribute {
  const base = { name: claim.name, claimId: claim.id };
  const e = claim.expression.trim();
  const attr = /^user\.profile\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(e);
  const literal = /^(["'])(.*)\1$/.test(e);
  if (attr || literal) {
    const evaluated = evaluateExpression(attr ? `user.${attr[1]}` : e, profile);
    if ('value' in evaluated) return { ...base, value: evaluated.value };
  }
  const problem = /^user\.[A-Za-z_][A-Za-z0-9_]*$/.test(e)
    ? `${e} is not a profile attribute in a federated claim (Identity Engine expressions say user.profile.<attribute>)`
    : `the expression ${e} is beyond what this tool evaluates; check it with Okta's preview`;
  return { ...base, value: undefined, problem };
}

function attributeOf(
  statement: { name?: unknown; values?: unknown },
  profile: Readonly<Record<string, unknown>>,
): ExpectedAttribute {
  const name = typeof statement.name === 'string' ? statement.name : '';
  const values = Array.isArray(statement.values) ? statement.values : [];
  const expression = typeof values[0] === 'string' ? values[0] : undefined;
  if (expression === undefined) return { name, value: undefined, problem: 'no value expression' };
  const evaluated = evaluateExpression(expression, profile);
  return 'value' in evaluated
    ? { name, value: evaluated.value }
    : { name, value: undefined, problem: evaluated.problem };
}

/**
 * The part of Okta Expression Language attribute statements commonly use: `user.<attribute>`, a quoted string, and
 * `String.toLowerCase|toUpperCase(x)`, `String.substringBefore|substringAfter(x, "s")`. Anything else is said to be
 * beyond this tool (Okta may still evaluate it), never guessed.
 */
export function evaluateExpression(
  expression: string,
  profile: Readonly<Record<string, unknown>>,
): { value: string } | { problem: string } {
  const e = expression.trim();
  const literal = /^(["'])(.*)\1$/.exec(e);
  if (literal) return { value: literal[2] ?? '' };
  const attr = /^user\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(e);
  if (attr) {
    const v = profile[attr[1] as string];
    return { value: v === undefined || v === null ? '' : String(v) };
  }
  const call = /^String\.(toLowerCase|toUpperCase|substringBefore|substringAfter)\((.*)\)$/.exec(e);
  if (call) {
    const [, fn, rawArgs = ''] = call;
    const args = splitArgs(rawArgs);
    const first = args[0] === undefined ? undefined : evaluateExpression(args[0], profile);
    if (!first || !('value' in first)) return first ?? { problem: `${fn} takes an argument` };
    if (fn === 'toLowerCase') return { value: first.value.toLowerCase() };
    if (fn === 'toUpperCase') return { value: first.value.toUpperCase() };
    const sep = args[1] === undefined ? undefined : evaluateExpression(args[1], profile);
    if (!sep || !('value' in sep)) return { problem: `${fn} takes a separator` };
    const at = first.value.indexOf(sep.value);
    if (fn === 'substringBefore') return { value: at < 0 ? first.value : first.value.slice(0, at) };
    return { value: at < 0 ? '' : first.value.slice(at + sep.value.length) };
  }
  return { problem: `the expression ${e} is beyond what this tool evaluates; check it with Okta's preview` };
}

/** Top-level comma split, quotes and parentheses respected. */
function splitArgs(raw: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const ch of raw) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}
