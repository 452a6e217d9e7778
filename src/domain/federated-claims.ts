import { statementsNamed } from './app-attributes';
import { checkAppConfig, isAgentConstant, type AppConfigRules, type Finding } from './app-config';

/*
 * The Frontline app's federated claims: the store today's Admin Console writes custom claims to (the app's Sign On
 * tab), kept apart from the app object (Okta's Management API reference, "Application SSO Federated Claims": "a
 * claim that will be included in tokens produced by federation protocols (for example … SAML Assertions)"). A claim
 * named `email` or `roles` is held to what Frontline needs exactly as the legacy attribute statement of that name
 * (./app-attributes.ts). Pure.
 *
 * | path                  | expected                                                         | severity   |
 * |-----------------------|------------------------------------------------------------------|------------|
 * | federatedClaims[email] | expression user.profile.email                                   | breaks-sso |
 * | federatedClaims[roles] | expression user.profile.userType, or the constant "agent"       | breaks-sso |
 * | duplicateClaims[name]  | one definition: `email` or `roles` in one store, once           | risky      |
 *
 * A claim's expression is Okta Expression Language in Identity Engine (the federated-claims guide links there),
 * where a profile attribute is `user.profile.<attribute>` and `user.<property>` names only the user's top-level
 * properties (`id`, `status`, …): so the claim says `user.profile.email` where the legacy statement says
 * `user.email`. A wrong claim is repaired where it lives (PUT the claim). A name defined in both stores (or twice
 * among the claims) is a finding: which one Okta sends, or whether it sends both, is not documented. Its repair
 * deletes the federated claim and keeps the legacy statement (what `setup` creates and Twilio's guide shows); with
 * no legacy statement it keeps the first right claim. It is made only on request (`repair --remove-duplicate-claims`).
 */

export interface FederatedClaim {
  /** `ofc…` */
  id: string;
  name: string;
  expression: string;
}

export const CLAIM_PATH = /^federatedClaims\[(.+)\]$/;
export const DUPLICATE_CLAIM_PATH = /^duplicateClaims\[(.+)\]$/;

/** Where a finding lives: the app object (a PUT of the app), the claims, or a duplicate across the two. */
export const isClaimPath = (path: string): boolean =>
  CLAIM_PATH.test(path) || DUPLICATE_CLAIM_PATH.test(path);

/** What each claim Frontline reads must say; the repair writes it. */
export const CLAIM_EXPRESSIONS = { email: 'user.profile.email', roles: 'user.profile.userType' } as const;
type FrontlineClaim = keyof typeof CLAIM_EXPRESSIONS;
const FRONTLINE_CLAIMS = Object.keys(CLAIM_EXPRESSIONS) as FrontlineClaim[];

/** What the duplicate finding's repair does: the claims it deletes and what stays. */
export interface DuplicateResolution {
  keep: string;
  remove: string[];
}

export function claimIsValid(claim: Pick<FederatedClaim, 'name' | 'expression'>): boolean {
  const e = claim.expression.trim();
  if (claim.name === 'email') return e === CLAIM_EXPRESSIONS.email;
  if (claim.name === 'roles') return e === CLAIM_EXPRESSIONS.roles || isAgentConstant(e, { bare: false });
  return true;
}

const NEEDS: Record<FrontlineClaim, string> = {
  email: `the user's email: ${CLAIM_EXPRESSIONS.email}`,
  roles: `the role agent: ${CLAIM_EXPRESSIONS.roles} (which this product sets to agent) or the constant "agent"`,
};

/** The findings of the federated claims `email` and `roles`, and of a name defined more than once across stores. */
export function claimFindings(rawApp: unknown, claims: readonly FederatedClaim[]): Finding[] {
  const findings: Finding[] = [];
  for (const name of FRONTLINE_CLAIMS) {
    const named = claims.filter((c) => c.name === name);
    const wrong = named.filter((c) => !claimIsValid(c));
    if (wrong.length > 0) {
      findings.push({
        path: `federatedClaims[${name}]`,
        expected: { name, expression: CLAIM_EXPRESSIONS[name] },
        actual: wrong.length === 1 ? wrong[0] : wrong,
        severity: 'breaks-sso',
        message:
          `the federated claim "${name}" is ${wrong.map((c) => c.expression).join(', ')}; Frontline needs ${NEEDS[name]} ` +
          '(claims are Identity Engine expressions: a profile attribute is user.profile.<attribute>)',
        repairable: true,
      });
    }
    const statements = statementsNamed(rawApp, name).length;
    if (named.length === 0 || statements + named.length < 2) continue;
    const resolution = resolveDuplicate(statements, named);
    findings.push({
      path: `duplicateClaims[${name}]`,
      expected: resolution,
      actual: { attributeStatements: statements, federatedClaims: named.map((c) => c.id) },
      severity: 'risky',
      message:
        `"${name}" is defined ${statements > 0 ? 'as a legacy attribute statement and ' : ''}` +
        `${named.length === 1 ? 'as a federated claim' : `as ${named.length} federated claims`}: Okta does not ` +
        'document which one it sends, or whether it sends both; `repair --remove-duplicate-claims` deletes ' +
        `${resolution.remove.join(', ')} and keeps ${resolution.keep}`,
      repairable: true,
    });
  }
  return findings;
}

function resolveDuplicate(statements: number, named: readonly FederatedClaim[]): DuplicateResolution {
  const name = named[0]?.name ?? '';
  if (statements > 0)
    return { keep: `the legacy attribute statement "${name}"`, remove: named.map((c) => c.id) };
  const kept = named.find(claimIsValid) ?? named[0];
  return {
    keep: `the federated claim ${kept?.id ?? ''}`,
    remove: named.filter((c) => c !== kept).map((c) => c.id),
  };
}

/** Every app rule: the app object's (./app-config.ts) and the federated claims'. */
export function checkAppRules(
  rawApp: unknown,
  rules: AppConfigRules,
  claims: readonly FederatedClaim[],
): Finding[] {
  return [...checkAppConfig(rawApp, rules, claims), ...claimFindings(rawApp, claims)];
}

export interface ClaimRepair {
  /** Claims to PUT back with the expression Frontline needs. */
  replace: FederatedClaim[];
  /** Duplicate claims to delete (only with `removeDuplicates`). */
  remove: FederatedClaim[];
}

/**
 * The claim writes that fix `findings`: each wrong `email`/`roles` claim PUT with the expression Frontline needs
 * (its id and name kept), and, only with `removeDuplicates`, each duplicate deleted (a deleted claim is not
 * rewritten first).
 */
export function planClaimRepair(
  claims: readonly FederatedClaim[],
  findings: readonly Finding[],
  options: { removeDuplicates?: boolean } = {},
): ClaimRepair {
  const removeIds = new Set(
    options.removeDuplicates === true
      ? findings
          .filter((f) => DUPLICATE_CLAIM_PATH.test(f.path))
          .flatMap((f) => (f.expected as DuplicateResolution).remove)
      : [],
  );
  const wrongNames = new Set(
    findings.flatMap((f) => CLAIM_PATH.exec(f.path)?.[1] ?? []).filter((n) => n in CLAIM_EXPRESSIONS),
  );
  const replace = claims
    .filter((c) => wrongNames.has(c.name) && !claimIsValid(c) && !removeIds.has(c.id))
    .map((c) => ({ ...c, expression: CLAIM_EXPRESSIONS[c.name as FrontlineClaim] }));
  return { replace, remove: claims.filter((c) => removeIds.has(c.id)) };
}
