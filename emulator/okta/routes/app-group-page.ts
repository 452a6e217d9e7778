import type { ApiRequest } from '../http';
import type { AppGroupRecord, EmulatorState } from '../state';

/*
 * One page of `GET /api/v1/apps/{appId}/groups` as the Apps API ("List all application groups") describes it:
 * `q` "is matched against the group name … only the startsWith operation", `limit` (default 20, max 200) and an
 * `after` cursor, with `Link: rel="next"` while more remain. Groups come in priority order (0 first); the cursor is
 * the emulator's own (the last group's id), opaque to clients.
 */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 200;

export function appGroupPage(
  req: ApiRequest,
  state: EmulatorState,
  groups: AppGroupRecord[],
): { page: AppGroupRecord[]; headers: Record<string, string[]> } {
  const q = req.query.get('q')?.toLowerCase();
  const ordered = [...groups]
    .filter((g) => !q || (state.groups.get(g.id)?.profile.name ?? '').toLowerCase().startsWith(q))
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
  const rawLimit = Number.parseInt(req.query.get('limit') ?? '', 10);
  const limit = Number.isFinite(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, MAX_LIMIT) : DEFAULT_LIMIT;
  const after = req.query.get('after');
  const start = after ? ordered.findIndex((g) => g.id === after) + 1 : 0;
  // An `after` naming a group no longer listed starts nowhere: an empty last page rather than a repeat.
  const page = after && start === 0 ? [] : ordered.slice(start, start + limit);
  const self = new URL(req.path, req.baseUrl);
  for (const [k, v] of req.query) self.searchParams.append(k, v);
  const links = [`<${self.toString()}>; rel="self"`];
  const last = page.at(-1);
  if (last && start + limit < ordered.length) {
    const next = new URL(self);
    next.searchParams.set('after', last.id);
    next.searchParams.set('limit', String(limit));
    links.push(`<${next.toString()}>; rel="next"`);
  }
  return { page, headers: { link: links } };
}
