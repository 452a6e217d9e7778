import { ExpressionError, SsoRefusedError } from './errors';
import { evaluateExpression, type ElScope, type ElValue } from './expression';

/** One `<saml2:Attribute>` of the assertion. */
export interface SamlAttribute {
  name: string;
  nameFormat: string;
  values: string[];
}

/** "If no namespace is specified the default namespace used is …unspecified" (saml-doc.okta.com, Template SAML 2.0 App). */
const UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';

/**
 * One attribute per `settings.signOn.attributeStatements` entry: `Name` = the statement's `name`, `NameFormat` = its
 * `namespace` (help.okta.com "Define attribute statements"; the `SamlAttributeStatement` schema). `EXPRESSION`
 * statements evaluate each of `values` as Okta Expression Language against the user; `GROUP` statements send the
 * names of the user's groups that pass `filterType`/`filterValue` (help.okta.com "Define group attribute
 * statements"). A statement whose values all come out null is left out of the assertion — Okta's behaviour here is
 * not documented; see emulator/okta/README.md.
 */
export function buildAttributes(statements: unknown, scope: ElScope, groupNames: string[]): SamlAttribute[] {
  if (statements === undefined || statements === null) return [];
  if (!Array.isArray(statements))
    throw new SsoRefusedError('expression', 'settings.signOn.attributeStatements is not a list');
  const attributes: SamlAttribute[] = [];
  for (const raw of statements) {
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const name = s.name;
    if (typeof name !== 'string' || name === '')
      throw new SsoRefusedError('expression', 'an attribute statement has no name');
    const nameFormat = typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : UNSPECIFIED;
    const type = s.type ?? 'EXPRESSION';
    let values: string[];
    if (type === 'EXPRESSION') values = expressionValues(name, s.values, scope);
    else if (type === 'GROUP') values = groupValues(name, s, groupNames);
    else
      throw new SsoRefusedError(
        'expression',
        `attribute statement "${name}": type ${JSON.stringify(type)} is neither EXPRESSION nor GROUP`,
      );
    if (values.length > 0) attributes.push({ name, nameFormat, values });
  }
  return attributes;
}

/**
 * A static value "can be entered with or without double quotes" (support.okta.com "How to pass static constant value
 * in SAML attribute statement"): a lone bare word such as `agent` is that constant, not a reference.
 */
const BARE_CONSTANT = /^[A-Za-z0-9_@-]+$/;

function expressionValues(name: string, values: unknown, scope: ElScope): string[] {
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
    throw new SsoRefusedError(
      'expression',
      `attribute statement "${name}": values must be a list of expressions`,
    );
  const out: string[] = [];
  for (const source of values as string[]) {
    let value: ElValue;
    if (BARE_CONSTANT.test(source.trim()) && !/^(true|false|null|[0-9]+)$/.test(source.trim()))
      value = source.trim();
    else {
      try {
        value = evaluateExpression(source, scope);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        throw new SsoRefusedError('expression', `attribute statement "${name}": ${err.message}`, {
          cause: err,
        });
      }
    }
    for (const v of Array.isArray(value) ? value : [value]) if (v !== null) out.push(String(v));
  }
  return out;
}

function groupValues(name: string, s: Record<string, unknown>, groupNames: string[]): string[] {
  const filter = typeof s.filterValue === 'string' ? s.filterValue : '';
  const match: Record<string, (g: string) => boolean> = {
    STARTS_WITH: (g) => g.startsWith(filter),
    EQUALS: (g) => g === filter,
    CONTAINS: (g) => g.includes(filter),
    REGEX: (g) => new RegExp(`^(?:${filter})$`).test(g),
  };
  const test = match[String(s.filterType)];
  if (!test)
    throw new SsoRefusedError(
      'expression',
      `group attribute statement "${name}": filterType ${JSON.stringify(s.filterType)} is not one of ${Object.keys(match).join(', ')}`,
    );
  try {
    return groupNames.filter(test).sort();
  } catch (err) {
    throw new SsoRefusedError(
      'expression',
      `group attribute statement "${name}": ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
