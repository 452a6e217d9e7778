import type { UserNameResult } from './desired-state';

/**
 * The small part of Okta Expression Language that app username templates use, so the username we send when
 * assigning matches what Okta itself would derive from the app's `credentials.userNameTemplate`:
 *
 * - `${source.email}` (default), `${source.login}`, or any `source.<profile attribute>`;
 * - `${fn:substringBefore(source.login, "@")}` / `String.substringBefore(…)`, the same for `substringAfter`;
 * - `${String.toLowerCase(source.email)}` / `fn:toLowerCase`, and `toUpperCase`;
 * - literal text around the `${…}` parts.
 *
 * Anything else is rejected when the template is parsed (at cold start), not when a user is processed.
 */

/** The app username when none is configured: the user's email, as Twilio's Frontline SSO guide sets it. */
export const DEFAULT_USERNAME_TEMPLATE = '${source.email}';

/** Okta's built-in username templates are `BUILT_IN`; any other expression is `CUSTOM`. */
export function userNameTemplateType(template: string): 'BUILT_IN' | 'CUSTOM' {
  return template === DEFAULT_USERNAME_TEMPLATE || template === '${source.login}' ? 'BUILT_IN' : 'CUSTOM';
}

export class UserNameTemplateError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UserNameTemplateError';
  }
}

type Expr =
  | { kind: 'attr'; name: string }
  | { kind: 'call'; fn: 'substringBefore' | 'substringAfter'; arg: Expr; literal: string }
  | { kind: 'call1'; fn: 'toLowerCase' | 'toUpperCase'; arg: Expr };

type Part = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expr };

export interface UserNameTemplate {
  readonly source: string;
  readonly parts: readonly Part[];
}

/** Okta's limit on an app username. */
export const MAX_USERNAME_LENGTH = 100;

export function parseUserNameTemplate(template: string): UserNameTemplate {
  const parts: Part[] = [];
  let rest = template;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    if (start === -1) {
      parts.push({ kind: 'text', text: rest });
      break;
    }
    if (start > 0) parts.push({ kind: 'text', text: rest.slice(0, start) });
    const end = findClosingBrace(rest, start + 2);
    if (end === -1) throw new UserNameTemplateError(`username template "${template}": unclosed "\${"`);
    parts.push({ kind: 'expr', expr: parseExpr(rest.slice(start + 2, end).trim(), template) });
    rest = rest.slice(end + 1);
  }
  if (!parts.some((p) => p.kind === 'expr')) {
    throw new UserNameTemplateError(
      `username template "${template}" has no \${…} expression; every user would get the same username`,
    );
  }
  return { source: template, parts };
}

function findClosingBrace(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') inString = !inString;
    else if (c === '}' && !inString) return i;
  }
  return -1;
}

const ATTR = /^source\.([A-Za-z_][A-Za-z0-9_]*)$/;
const CALL = /^(?:fn:|String\.)([A-Za-z]+)\((.*)\)$/s;

function parseExpr(text: string, template: string): Expr {
  const attr = ATTR.exec(text);
  if (attr?.[1]) return { kind: 'attr', name: attr[1] };
  const call = CALL.exec(text);
  if (call?.[1] && call[2] !== undefined) {
    const fn = call[1];
    const args = splitArgs(call[2]);
    if ((fn === 'substringBefore' || fn === 'substringAfter') && args.length === 2) {
      const literal = /^"([^"]*)"$/.exec(args[1] ?? '');
      if (literal?.[1] !== undefined) {
        return { kind: 'call', fn, arg: parseExpr(args[0] ?? '', template), literal: literal[1] };
      }
    }
    if ((fn === 'toLowerCase' || fn === 'toUpperCase') && args.length === 1) {
      return { kind: 'call1', fn, arg: parseExpr(args[0] ?? '', template) };
    }
  }
  throw new UserNameTemplateError(
    `username template "${template}": unsupported expression "${text}" (supported: source.<attribute>, ` +
      'substringBefore/substringAfter(expr, "text"), toLowerCase/toUpperCase(expr))',
  );
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (const c of text) {
    if (c === '"') inString = !inString;
    if (!inString && c === '(') depth += 1;
    if (!inString && c === ')') depth -= 1;
    if (!inString && depth === 0 && c === ',') {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  args.push(current.trim());
  return args;
}

/** Renders the username for a profile; fails (with a reason) on a missing attribute or an unusable result. */
export function renderUserName(
  template: UserNameTemplate,
  profile: Readonly<Record<string, unknown>>,
): UserNameResult {
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const value = evaluate(part.expr, profile);
    if (!value.ok) return value;
    out += value.value;
  }
  if (out.trim() === '') {
    return { ok: false, reason: `username template ${template.source} renders an empty username` };
  }
  if (out.length > MAX_USERNAME_LENGTH) {
    return {
      ok: false,
      reason: `username from ${template.source} is ${out.length} characters; Okta allows at most ${MAX_USERNAME_LENGTH}`,
    };
  }
  return { ok: true, value: out };
}

function evaluate(expr: Expr, profile: Readonly<Record<string, unknown>>): UserNameResult {
  if (expr.kind === 'attr') {
    const value = profile[expr.name];
    if (typeof value === 'string' && value !== '') return { ok: true, value };
    if (typeof value === 'number') return { ok: true, value: String(value) };
    return { ok: false, reason: `profile.${expr.name} is empty, so the app username cannot be derived` };
  }
  const inner = evaluate(expr.arg, profile);
  if (!inner.ok) return inner;
  const s = inner.value;
  switch (expr.fn) {
    case 'toLowerCase':
      return { ok: true, value: s.toLowerCase() };
    case 'toUpperCase':
      return { ok: true, value: s.toUpperCase() };
    case 'substringBefore': {
      // Okta (like Apache Commons' StringUtils) returns the whole string when the separator is absent.
      const i = s.indexOf(expr.literal);
      return { ok: true, value: i === -1 ? s : s.slice(0, i) };
    }
    case 'substringAfter': {
      const i = s.indexOf(expr.literal);
      return { ok: true, value: i === -1 ? '' : s.slice(i + expr.literal.length) };
    }
  }
}

/** For configuration loaders: the template's problem as a "VARIABLE message" line, or undefined when it parses. */
export function userNameTemplateProblem(
  template: string,
  variable = 'USERNAME_TEMPLATE',
): string | undefined {
  try {
    parseUserNameTemplate(template);
    return undefined;
  } catch (err) {
    if (!(err instanceof UserNameTemplateError)) throw err;
    return `${variable} ${err.message}`;
  }
}
