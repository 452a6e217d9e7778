import { OktaHttpError } from '../errors';
import type { LogEvent } from '../events';
import { matches, type Expression } from '../filters';

/** How `GET /api/v1/logs` matches an event (its `filter` and `q`), for polling and bounded requests alike. */

export const invalidParameter = (summary: string) => new OktaHttpError(400, 'E0000053', summary);

function keywordsMatch(event: LogEvent, keywords: string[]): boolean {
  const tokens = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const low = v.toLowerCase();
      tokens.add(low);
      for (const t of low.split(/[\s]+/)) {
        tokens.add(t);
        for (const part of t.split('-')) tokens.add(part);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(event);
  return keywords.every((k) => tokens.has(k.toLowerCase()));
}

export function eventMatches(event: LogEvent, filter: Expression | undefined, keywords: string[]): boolean {
  if (filter) {
    const hit = matches(filter, event, (path, clause) => {
      // `target.id` (and other target fields) match when any target has the value.
      if (!path.startsWith('target.')) return undefined;
      const targets = (event.target as Record<string, unknown>[] | null) ?? [];
      const field = path.slice('target.'.length);
      return targets.some((t) => matches([[{ ...clause, path: field } as never]], t));
    });
    if (!hit) return false;
  }
  return keywords.length === 0 || keywordsMatch(event, keywords);
}
