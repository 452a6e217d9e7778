import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Finding } from '../domain/app-config';
import { SettingsError } from '../config/env';
import type { ErrorDocument } from './documents';

/** Exit codes shared by `check`, `repair` and `reconcile --dry-run`. */
export const EXIT = { ok: 0, error: 1, drift: 2 } as const;

export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Output {
  readonly json: boolean;
  /** Human text to stdout (suppressed under --json). */
  line(text?: string): void;
  /** The one JSON document a command prints under --json. */
  result(value: unknown): void;
  error(text: string): void;
}

export function createOutput(json: boolean, stream: NodeJS.WriteStream = process.stdout): Output {
  return {
    json,
    line: (text = '') => {
      if (!json) stream.write(`${text}\n`);
    },
    result: (value) => {
      if (json) stream.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    error: (text) => {
      process.stderr.write(`${text}\n`);
    },
  };
}

/** node:util parseArgs with `--json` and `--help` always accepted; unknown flags are a UsageError. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** A plain text table; cells are cut at `maxWidth` so long JSON values stay readable. */
export function table(headers: string[], rows: string[][], maxWidth = 60): string {
  const cut = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const cells = [headers, ...rows].map((r) => r.map((c) => cut(c.replace(/\s+/g, ' '))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(fmt)].join(
    '\n',
  );
}

export function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (value === '') return '(blank)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function findingsTable(findings: readonly Finding[]): string {
  return table(
    ['severity', 'path', 'expected', 'actual'],
    findings.map((f) => [f.severity, f.path, show(f.expected), show(f.actual)]),
  );
}

/**
 * Runs a command body with uniform failure handling: bad flags and settings print their message and exit 1;
 * anything else prints its message (never a stack or a request, which could hold a token) and exits 1.
 */
export async function runCommand(json: boolean, body: (out: Output) => Promise<number>): Promise<number> {
  const out = createOutput(json);
  try {
    return await body(out);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (json) {
      const doc: ErrorDocument = {
        ok: false,
        error: { name: err instanceof Error ? err.name : 'Error', message },
      };
      out.result(doc);
    } else
      out.error(err instanceof SettingsError || err instanceof UsageError ? message : `Error: ${message}`);
    return EXIT.error;
  }
}
