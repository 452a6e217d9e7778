/** A value an expression produces: profile attributes can be arrays (multi-valued attributes). */
export type ElValue = string | number | boolean | null | readonly ElValue[];

/** Thrown by a function for a bad call; the evaluator adds the expression around it. */
export class FunctionCallError extends Error {
  override readonly name = 'FunctionCallError';
}

type Fn = (args: ElValue[]) => ElValue;

function arity(name: string, args: ElValue[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw new FunctionCallError(
      `${name} takes ${min === max ? min : `${min} to ${max === Infinity ? 'any number of' : max}`} arguments, got ${args.length}`,
    );
}

/** A string argument; `null` passes through (the functions are null-safe, as Okta's `String.*` helpers are). */
function str(name: string, v: ElValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new FunctionCallError(`${name} expects a string, got ${Array.isArray(v) ? 'an array' : typeof v}`);
}

function int(name: string, v: ElValue | undefined): number {
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new FunctionCallError(`${name} expects an integer, got ${JSON.stringify(v)}`);
  return v;
}

/** A function of one or more string arguments that answers null when its input is null. */
function strings(name: string, n: number, f: (...s: string[]) => ElValue): Fn {
  return (args) => {
    arity(name, args, n);
    const s = args.map((a) => str(name, a));
    return s.some((x) => x === null) ? null : f(...(s as string[]));
  };
}

const substringBefore = (s: string, sep: string) => (s.indexOf(sep) === -1 ? s : s.slice(0, s.indexOf(sep)));
const substringAfter = (s: string, sep: string) =>
  s.indexOf(sep) === -1 ? '' : s.slice(s.indexOf(sep) + sep.length);

/**
 * The `String.*` functions of Okta's Expression Language reference ("String functions" table, with the examples
 * there as their specification), plus the deprecated bare forms the same page lists (`toUpperCase(…)`,
 * `substringBefore(…)`…). `substringBefore` answers the whole input and `substringAfter` an empty string when the
 * separator is absent (the reference's examples only show the found case; this is Apache StringUtils' behaviour,
 * which the emulator's username templates already follow). `replace`/`replaceFirst` match literally.
 */
export const STRING_FUNCTIONS: Readonly<Record<string, Fn>> = (() => {
  const fns: Record<string, Fn> = {
    append: strings('String.append', 2, (s, suffix) => s + suffix),
    join: (args) => {
      arity('String.join', args, 1, Infinity);
      const [sep = null, ...rest] = args.map((a) => str('String.join', a));
      return rest.map((s) => s ?? '').join(sep ?? '');
    },
    len: (args) => {
      arity('String.len', args, 1);
      return (str('String.len', args[0]) ?? '').length;
    },
    removeSpaces: strings('String.removeSpaces', 1, (s) => s.replace(/\s+/g, '')),
    replace: strings('String.replace', 3, (s, match, by) => (match === '' ? s : s.split(match).join(by))),
    replaceFirst: strings('String.replaceFirst', 3, (s, match, by) => s.replace(match, () => by)),
    stringContains: (args) => {
      arity('String.stringContains', args, 2);
      const [s = null, search = null] = args.map((a) => str('String.stringContains', a));
      return s !== null && search !== null && s.includes(search);
    },
    stringSwitch: (args) => {
      arity('String.stringSwitch', args, 2, Infinity);
      if (args.length % 2 !== 0)
        throw new FunctionCallError('String.stringSwitch takes an input, a default and key/value pairs');
      const [input = null, fallback = null, ...pairs] = args.map((a) => str('String.stringSwitch', a));
      for (let i = 0; i < pairs.length; i += 2)
        if (input !== null && pairs[i] !== null && input.includes(pairs[i]!)) return pairs[i + 1] ?? null;
      return fallback ?? null;
    },
    substring: (args) => {
      arity('String.substring', args, 3);
      const s = str('String.substring', args[0]);
      const [start, end] = [int('String.substring', args[1]), int('String.substring', args[2])];
      if (s === null) return null;
      // Java's String.substring throws for indexes outside 0 <= start <= end <= length.
      if (start < 0 || end > s.length || start > end)
        throw new FunctionCallError(
          `String.substring(${start}, ${end}) is out of range for a ${s.length}-character string`,
        );
      return s.slice(start, end);
    },
    substringAfter: strings('String.substringAfter', 2, substringAfter),
    substringBefore: strings('String.substringBefore', 2, substringBefore),
    toUpperCase: strings('String.toUpperCase', 1, (s) => s.toUpperCase()),
    toLowerCase: strings('String.toLowerCase', 1, (s) => s.toLowerCase()),
  };
  const table: Record<string, Fn> = {};
  for (const [name, fn] of Object.entries(fns)) table[`String.${name}`] = fn;
  for (const name of ['toUpperCase', 'toLowerCase', 'substringBefore', 'substringAfter', 'substring'])
    table[name] = fns[name]!;
  return table;
})();
