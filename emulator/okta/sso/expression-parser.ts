import { ExpressionError } from './errors';

/**
 * The syntax tree of the Okta Expression Language subset the emulator reads. Okta's language "is based on SpEL and
 * uses a subset of functionalities offered by SpEL" (developer.okta.com/docs/reference/okta-expression-language):
 * string literals in double or single quotes, numbers, `true`/`false`/`null`, dotted references (`user.email`),
 * calls (`String.toLowerCase(…)`), `+` (concatenation, "the + operation concatenates two objects": help.okta.com
 * "Expressions" for smart card IdPs), `-` on numbers, parentheses and `cond ? a : b`.
 */
export type ElNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'ref'; path: string[] }
  | { kind: 'call'; name: string; args: ElNode[] }
  | { kind: 'binary'; op: '+' | '-'; left: ElNode; right: ElNode }
  | { kind: 'conditional'; test: ElNode; then: ElNode; otherwise: ElNode };

type Token =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'ident'; value: string; at: number }
  | { kind: 'punct'; value: string; at: number };

const PUNCTUATION = '.(),+-?:';

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"' || c === "'") {
      // SpEL escapes a quote inside a literal by doubling it.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new ExpressionError(source, `unterminated string literal at ${i}`);
        if (source[j] === c) {
          if (source[j + 1] !== c) break;
          j += 1;
        }
        value += source[j];
        j += 1;
      }
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]+)?/.exec(source.slice(i))![0];
      tokens.push({ kind: 'number', value: Number(m), at: i });
      i += m.length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))![0];
      tokens.push({ kind: 'ident', value: m, at: i });
      i += m.length;
    } else if (PUNCTUATION.includes(c)) {
      tokens.push({ kind: 'punct', value: c, at: i });
      i += 1;
    } else {
      throw new ExpressionError(source, `unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

/** Parses a whole expression; anything left over, or missing, is an `ExpressionError` naming the position. */
export function parseExpression(source: string): ElNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    const t = peek();
    throw new ExpressionError(source, t ? `${what} at ${t.at}` : `${what} at the end`);
  };
  const isPunct = (v: string) => peek()?.kind === 'punct' && peek()!.value === v;
  const expect = (v: string) => {
    if (!isPunct(v)) fail(`expected "${v}"`);
    pos += 1;
  };

  function conditional(): ElNode {
    const test = additive();
    if (!isPunct('?')) return test;
    pos += 1;
    const then = conditional();
    expect(':');
    return { kind: 'conditional', test, then, otherwise: conditional() };
  }

  function additive(): ElNode {
    let left = primary();
    while (isPunct('+') || isPunct('-')) {
      const op = peek()!.value as '+' | '-';
      pos += 1;
      left = { kind: 'binary', op, left, right: primary() };
    }
    return left;
  }

  function primary(): ElNode {
    const t = peek();
    if (!t) return fail('expected a value');
    if (t.kind === 'string' || t.kind === 'number') {
      pos += 1;
      return { kind: 'literal', value: t.value };
    }
    if (t.kind === 'punct' && t.value === '(') {
      pos += 1;
      const inner = conditional();
      expect(')');
      return inner;
    }
    if (t.kind !== 'ident') return fail(`unexpected "${t.value}"`);
    pos += 1;
    if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
    if (t.value === 'null') return { kind: 'literal', value: null };
    const path = [t.value];
    while (isPunct('.')) {
      pos += 1;
      const next = peek();
      if (next?.kind !== 'ident') return fail('expected a name after "."');
      path.push(next.value);
      pos += 1;
    }
    if (!isPunct('(')) return { kind: 'ref', path };
    pos += 1;
    const args: ElNode[] = [];
    if (!isPunct(')')) {
      args.push(conditional());
      while (isPunct(',')) {
        pos += 1;
        args.push(conditional());
      }
    }
    expect(')');
    return { kind: 'call', name: path.join('.'), args };
  }

  if (tokens.length === 0) throw new ExpressionError(source, 'the expression is empty');
  const tree = conditional();
  if (pos < tokens.length) fail(`unexpected "${String(peek()!.value)}"`);
  return tree;
}
