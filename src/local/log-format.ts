import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';

/**
 * How `serve` writes its logs: `json` is Powertools' structured line (what the Lambdas write, for a log shipper),
 * `pretty` one human line per entry for a terminal. Both come from the same logger calls, so a field logged is in
 * both. The default follows where stdout goes: a terminal gets `pretty`, a pipe or file gets `json`.
 */
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

export function defaultLogFormat(stream: { isTTY?: boolean } = process.stdout): LogFormat {
  return stream.isTTY === true ? 'pretty' : 'json';
}

/** Keys every Powertools entry carries that a person reading a terminal doesn't need on each line. */
const QUIET_KEYS = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id']);

/** One entry as `HH:MM:SS.mmm LEVEL message key=value …`; strings with spaces are quoted, objects are JSON. */
export function formatPrettyLine(attributes: Readonly<Record<string, unknown>>): string {
  const at = typeof attributes.timestamp === 'string' ? attributes.timestamp : new Date().toISOString();
  const time = at.length >= 23 ? at.slice(11, 23) : at;
  const level = String(attributes.level ?? 'INFO').padEnd(5);
  const fields = Object.entries(attributes)
    .filter(([key, value]) => !QUIET_KEYS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${showValue(value)}`);
  return [time, level, String(attributes.message ?? ''), ...fields].join(' ').trimEnd();
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

/** A Powertools logger that prints `formatPrettyLine` lines instead of JSON (levels, sampling, child loggers as is). */
export class PrettyLogger extends Logger {
  public constructor(
    options: ConstructorOptions = {},
    private readonly write: (line: string, level: string) => void = writeToConsole,
  ) {
    super(options);
  }

  protected override printLog(logLevel: number, log: Parameters<Logger['printLog']>[1]): void {
    log.prepareForPrint();
    const attributes = log.getAttributes();
    this.write(formatPrettyLine(attributes), String(attributes.level ?? logLevel));
  }
}

function writeToConsole(line: string, level: string): void {
  // Warnings and errors to stderr, as Powertools' console does (console.warn / console.error).
  if (level === 'WARN' || level === 'ERROR' || level === 'CRITICAL') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export function createLocalLogger(format: LogFormat, options: ConstructorOptions = {}): Logger {
  return format === 'pretty' ? new PrettyLogger(options) : new Logger(options);
}
