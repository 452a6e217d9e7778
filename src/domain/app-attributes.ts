import { get, isObject, type Finding } from './app-json';
import { FRONTLINE_USER_TYPE } from './desired-state';

/*
 * The legacy attribute statements of the Frontline app (`settings.signOn.attributeStatements`, under "Show legacy
 * configuration" in today's Admin Console): the `email` and `roles` Frontline reads. Pure; the rules table is in
 * ./app-config.ts, the federated claims beside them in ./federated-claims.ts.
 */

export const SAML_BASIC_NAMESPACE = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

export interface AttributeStatement {
  type: 'EXPRESSION';
  name: string;
  namespace: string;
  values: string[];
}

export const STATEMENTS_PATH = ['settings', 'signOn', 'attributeStatements'];
export const STATEMENT_PATH = /^settings\.signOn\.attributeStatements\[(.+)\]$/;

/** The app's legacy statements named `name`. */
export function statementsNamed(rawApp: unknown, name: string): unknown[] {
  const statements = get(rawApp, STATEMENTS_PATH);
  return (Array.isArray(statements) ? statements : []).filter((s) => isObject(s) && s.name === name);
}

function statementMatches(actual: unknown, wanted: AttributeStatement): boolean {
  if (!isObject(actual)) return false;
  const values = actual.values;
  return (
    actual.type === wanted.type &&
    actual.namespace === wanted.namespace &&
    Array.isArray(values) &&
    values.length === wanted.values.length &&
    values.every((v, i) => v === wanted.values[i])
  );
}

/**
 * The constant "agent": a quoted literal, or (legacy statements only) a bare word, which Okta also reads as a
 * constant ("can be entered with or without double quotes": support.okta.com "How to pass static constant value in
 * SAML attribute statement").
 */
export function isAgentConstant(expression: unknown, options: { bare: boolean }): boolean {
  if (typeof expression !== 'string') return false;
  const e = expression.trim();
  const quoted = [`"${FRONTLINE_USER_TYPE}"`, `'${FRONTLINE_USER_TYPE}'`];
  return quoted.includes(e) || (options.bare && e === FRONTLINE_USER_TYPE);
}

/**
 * `roles` sent as the constant "agent", as Twilio's Azure AD and Salesforce guides do: an admin's working choice,
 * as valid as `user.userType`, never rewritten.
 */
function constantRoleStatement(actual: unknown, wanted: AttributeStatement): boolean {
  if (wanted.name !== 'roles' || !isObject(actual)) return false;
  const values = actual.values;
  return (
    actual.type === wanted.type &&
    actual.namespace === wanted.namespace &&
    Array.isArray(values) &&
    values.length === 1 &&
    isAgentConstant(values[0], { bare: true })
  );
}

/**
 * One finding per wanted statement that is missing, wrong or repeated. A name the federated claims supply
 * (`claims`) needs no legacy statement.
 */
export function statementFindings(
  rawApp: unknown,
  wanted: readonly AttributeStatement[],
  claims: readonly { name: string }[],
): Finding[] {
  const findings: Finding[] = [];
  for (const statement of wanted) {
    const same = statementsNamed(rawApp, statement.name);
    const valid =
      same.length === 1 &&
      (statementMatches(same[0], statement) || constantRoleStatement(same[0], statement));
    if (valid) continue;
    if (same.length === 0 && claims.some((c) => c.name === statement.name)) continue;
    findings.push({
      path: `settings.signOn.attributeStatements[${statement.name}]`,
      expected: statement,
      actual: same.length === 0 ? null : same.length === 1 ? same[0] : same,
      severity: 'breaks-sso',
      message:
        same.length > 1
          ? `the "${statement.name}" attribute statement appears ${same.length} times; Frontline needs exactly one`
          : `Frontline needs the "${statement.name}" attribute = ${statement.values.join(', ')} (EXPRESSION, basic format)`,
      repairable: true,
    });
  }
  return findings;
}
