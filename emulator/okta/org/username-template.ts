/**
 * The app username Okta derives from `credentials.userNameTemplate` when an assignment carries no
 * `credentials.userName` ("The userNameTemplate in the Application object defines the default username generated
 * when a user is assigned to that app": Okta Application Users API, AppUserCredentials). Templates are Okta
 * Expression Language; the emulator evaluates what app username formats use: `source.<attr>`, the
 * `String.`/`fn:` `substringBefore`, `substringAfter`, `toLowerCase`, `toUpperCase` functions, and literal text.
 * Anything else renders as the user's login, Okta's default "Okta username" format.
 */
export function renderAppUserName(template: string, profile: Readonly<Record<string, unknown>>): string {
  const fallback = String(profile.login ?? '');
  let out = '';
  let rest = template;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    if (start === -1) return out + rest;
    const end = rest.indexOf('}', start);
    if (end === -1) return fallback;
    const value = evaluate(rest.slice(start + 2, end).trim(), profile);
    if (value === undefined) return fallback;
    out += rest.slice(0, start) + value;
    rest = rest.slice(end + 1);
  }
  return out;
}

const CALL = /^(?:fn:|String\.)(substringBefore|substringAfter|toLowerCase|toUpperCase)\((.*)\)$/s;

function evaluate(expr: string, profile: Readonly<Record<string, unknown>>): string | undefined {
  const attr = /^source\.(\w+)$/.exec(expr);
  if (attr) return String(profile[attr[1]!] ?? '');
  const call = CALL.exec(expr);
  if (!call) return undefined;
  const [, fn, args] = call;
  const comma = args!.lastIndexOf(',');
  if (fn === 'toLowerCase' || fn === 'toUpperCase') {
    const inner = evaluate(args!.trim(), profile);
    return fn === 'toLowerCase' ? inner?.toLowerCase() : inner?.toUpperCase();
  }
  if (comma === -1) return undefined;
  const inner = evaluate(args!.slice(0, comma).trim(), profile);
  const literal = /^"([^"]*)"$/.exec(args!.slice(comma + 1).trim())?.[1];
  if (inner === undefined || literal === undefined) return undefined;
  const i = inner.indexOf(literal);
  if (fn === 'substringBefore') return i === -1 ? inner : inner.slice(0, i);
  return i === -1 ? '' : inner.slice(i + literal.length);
}
