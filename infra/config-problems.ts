import { z } from 'zod';

/**
 * The deployment file's schema problems (./config.ts), one line each: `field: value — what's allowed`. Unknown
 * fields are listed one by one with the fields the schema allows where they were found; values are cut to 80
 * characters.
 */
export function describeProblems(error: z.ZodError, input: unknown, schema: z.ZodType): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = fieldsAt(schema, path).join(', ');
      for (const key of issue.keys) {
        lines.push(`${[...path, key].join('.')}: unknown field — allowed fields: ${known}`);
      }
      continue;
    }
    const field = path.length ? path.join('.') : '(root)';
    const value = valueAt(input, path);
    lines.push(`${field}: ${value === undefined ? '(missing)' : show(value)} — ${issue.message}`);
  }
  return lines;
}

/** The fields of the object at `path` in the schema (through defaults and optionals); none when it isn't one. */
function fieldsAt(schema: z.ZodType, path: readonly string[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const key of path) current = objectOf(current)?.shape[key];
  return Object.keys(objectOf(current)?.shape ?? {});
}

function objectOf(schema: z.ZodType | undefined): z.ZodObject | undefined {
  let current: unknown = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap();
  return current instanceof z.ZodObject ? current : undefined;
}

function valueAt(input: unknown, path: string[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
