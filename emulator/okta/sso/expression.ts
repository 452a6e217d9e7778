import { ExpressionError } from './errors';
import { parseExpression, type ElNode } from './expression-parser';
import { FunctionCallError, STRING_FUNCTIONS, type ElValue } from './string-functions';

export type { ElValue } from './string-functions';

/**
 * Okta's default user profile properties (the `UserProfile` schema of the Management API spec, okta-sdk-nodejs 8.1.0
 * models). A custom property must be added to the profile schema "before you reference it" (same schema's
 * description); the emulator has no schema API, so a custom name counts as defined when some user's profile has it.
 */
export const BASE_PROFILE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'city',
  'costCenter',
  'countryCode',
  'department',
  'displayName',
  'division',
  'email',
  'employeeNumber',
  'firstName',
  'honorificPrefix',
  'honorificSuffix',
  'lastName',
  'locale',
  'login',
  'manager',
  'managerId',
  'middleName',
  'mobilePhone',
  'nickName',
  'organization',
  'postalAddress',
  'preferredLanguage',
  'primaryPhone',
  'profileUrl',
  'secondEmail',
  'state',
  'streetAddress',
  'timezone',
  'title',
  'userType',
  'zipCode',
]);

/** What `user.…` and `appuser.…` refer to while an expression is evaluated for one user and app. */
export interface ElScope {
  /** The Okta user's profile. */
  user: Readonly<Record<string, unknown>>;
  /** Names the org's user profile schema defines (base + custom): an absent one of these is null, not an error. */
  userAttributes: ReadonlySet<string>;
  /** The in-context app user ("`appuser` implicit reference to in-context app", EL reference): `userName`. */
  appUser?: Readonly<Record<string, unknown>>;
  /**
   * `identity-engine` for federated claims, whose expressions are "Okta Expression Language in Identity Engine"
   * (developer.okta.com, linked from the federated-claims guide): a profile attribute is `user.profile.<attribute>`,
   * `user.<property>` names only the top-level properties in `userProperties`, and functions are called on values
   * (`'TEST'.toLowerCase()`), which the emulator does not evaluate. @default 'classic' (attribute statements)
   */
  dialect?: 'classic' | 'identity-engine';
  /** The user's top-level properties (`id`, `status`, `created`, …) for the Identity Engine dialect. */
  userProperties?: Readonly<Record<string, unknown>>;
}

/** "Values: id, status, created, lastUpdated, passwordChanged, lastLogin" (Identity Engine EL, "Okta user profile"). */
const USER_PROPERTIES = new Set(['id', 'status', 'created', 'lastUpdated', 'passwordChanged', 'lastLogin']);

/**
 * Evaluates an Okta Expression Language expression (the subset in `expression-parser.ts` and the `String.*`
 * functions) for one user. Anything else — `org.*`, `app.*`, `session.*`, `Arrays.*`, `Groups.*`, an attribute the
 * profile schema doesn't define, a function called wrongly — is an `ExpressionError`, never a blank value.
 */
export function evaluateExpression(source: string, scope: ElScope): ElValue {
  const tree = parseExpression(source);
  const evaluate = (node: ElNode): ElValue => {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'ref':
        return resolve(source, node.path, scope);
      case 'call': {
        if (scope.dialect === 'identity-engine')
          throw new ExpressionError(
            source,
            `${node.name}() is not an Identity Engine function the emulator evaluates (it knows literals and user.profile.<attribute>)`,
          );
        const fn = STRING_FUNCTIONS[node.name];
        if (!fn)
          throw new ExpressionError(
            source,
            `${node.name}() is not a function the emulator evaluates (it knows the String.* functions)`,
          );
        try {
          return fn(node.args.map(evaluate));
        } catch (err) {
          if (err instanceof FunctionCallError) throw new ExpressionError(source, err.message);
          throw err;
        }
      }
      case 'binary':
        return binary(source, node.op, evaluate(node.left), evaluate(node.right));
      case 'conditional': {
        const test = evaluate(node.test);
        if (typeof test !== 'boolean')
          throw new ExpressionError(
            source,
            `the condition before "?" is not a boolean (${JSON.stringify(test)})`,
          );
        return evaluate(test ? node.then : node.otherwise);
      }
    }
  };
  return evaluate(tree);
}

function resolve(source: string, path: string[], scope: ElScope): ElValue {
  if (scope.dialect === 'identity-engine') return resolveIdentityEngine(source, path, scope);
  const [root, attr, ...rest] = path;
  if ((root === 'user' || root === 'appuser') && attr !== undefined && rest.length === 0) {
    const profile = root === 'user' ? scope.user : (scope.appUser ?? {});
    if (Object.hasOwn(profile, attr)) return profileValue(source, path, profile[attr]);
    if (root === 'user' && scope.userAttributes.has(attr)) return null;
    throw new ExpressionError(
      source,
      root === 'user'
        ? `user.${attr} is not an attribute of the Okta user profile`
        : `appuser.${attr} is not an attribute of the app user (the emulator's app users have userName only)`,
    );
  }
  throw new ExpressionError(
    source,
    `${path.join('.')} is not something the emulator evaluates (it knows user.<attribute>, appuser.userName, ` +
      'string literals and the String.* functions)',
  );
}

function resolveIdentityEngine(source: string, path: string[], scope: ElScope): ElValue {
  const [root, first, second, ...rest] = path;
  if (root === 'user' && first === 'profile' && second !== undefined && rest.length === 0) {
    if (Object.hasOwn(scope.user, second)) return profileValue(source, path, scope.user[second]);
    if (scope.userAttributes.has(second)) return null;
    throw new ExpressionError(source, `user.profile.${second} is not an attribute of the Okta user profile`);
  }
  if (root === 'user' && first !== undefined && second === undefined && USER_PROPERTIES.has(first))
    return profileValue(source, path, scope.userProperties?.[first]);
  throw new ExpressionError(
    source,
    `${path.join('.')} is not something Identity Engine expressions name here: a profile attribute is ` +
      `user.profile.<attribute>, and user.<property> is one of ${[...USER_PROPERTIES].join(', ')}`,
  );
}

function profileValue(source: string, path: string[], v: unknown): ElValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
    return v as ElValue[];
  throw new ExpressionError(
    source,
    `${path.join('.')} holds a value the emulator can't render (${typeof v})`,
  );
}

/**
 * `+` follows SpEL, which Okta's language is based on: numbers add; otherwise both sides are concatenated as
 * strings, a null operand rendering as "null" (SpEL's `OpPlus`). `-` is for numbers only.
 */
function binary(source: string, op: '+' | '-', left: ElValue, right: ElValue): ElValue {
  if (typeof left === 'number' && typeof right === 'number') return op === '+' ? left + right : left - right;
  if (op === '-') throw new ExpressionError(source, '"-" works on numbers only');
  if (Array.isArray(left) || Array.isArray(right))
    throw new ExpressionError(source, '"+" does not join arrays: use String.join');
  return `${String(left)}${String(right)}`;
}
