import { validation } from './errors';

/** One `attr op "value"` clause of Okta's SCIM-like filter/search syntax. */
interface Clause {
  path: string;
  op: 'eq' | 'sw' | 'ne' | 'pr';
  value?: string | boolean | number | null;
}

/** Groups of clauses: the outer list is OR-ed, each inner list AND-ed. Parentheses are not supported. */
export type Expression = Clause[][];

const CLAUSE =
  /^\s*([A-Za-z_][\w.]*)\s+(eq|sw|ne|pr)\s*(?:("(?:[^"\\]|\\.)*")|(true|false|null|-?\d+(?:\.\d+)?))?\s*$/i;

/** Parses `profile.department eq "Sales" and status eq "ACTIVE"`; rejects what it doesn't understand with E0000001. */
export function parseExpression(text: string, param: string): Expression {
  const orParts = splitOutsideQuotes(text, ' or ');
  return orParts.map((orPart) =>
    splitOutsideQuotes(orPart, ' and ').map((part) => {
      const m = CLAUSE.exec(part);
      if (!m) throw validation([`${param}: Invalid search criteria.`]);
      const op = m[2]!.toLowerCase() as Clause['op'];
      let value: Clause['value'];
      if (m[3] !== undefined) value = JSON.parse(m[3]) as string;
      else if (m[4] !== undefined)
        value = m[4] === 'null' ? null : m[4] === 'true' ? true : m[4] === 'false' ? false : Number(m[4]);
      else if (op !== 'pr') throw validation([`${param}: Invalid search criteria.`]);
      return { path: m[1]!, op, ...(value !== undefined ? { value } : {}) };
    }),
  );
}

function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') inQuote = !inQuote;
    else if (!inQuote && text.slice(i, i + sep.length).toLowerCase() === sep) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Evaluates against an object; `lookup` resolves special paths (e.g. `user.id` on apps) before plain property paths. */
export function matches(
  expr: Expression,
  obj: unknown,
  lookup?: (path: string, clause: { op: string; value?: unknown }) => boolean | undefined,
): boolean {
  return expr.some((and) =>
    and.every((clause) => {
      const special = lookup?.(clause.path, clause);
      if (special !== undefined) return special;
      const actual = getPath(obj, clause.path);
      switch (clause.op) {
        case 'eq':
          return typeof actual === 'string' && typeof clause.value === 'string'
            ? actual.toLowerCase() === clause.value.toLowerCase()
            : actual === clause.value;
        case 'ne':
          return actual !== clause.value;
        case 'sw':
          return (
            typeof actual === 'string' &&
            typeof clause.value === 'string' &&
            actual.toLowerCase().startsWith(clause.value.toLowerCase())
          );
        case 'pr':
          return actual !== undefined && actual !== null;
      }
      return false;
    }),
  );
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
