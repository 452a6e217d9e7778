import { matches, parseExpression } from '../filters';
import { asObject, noContent, ok, paginate } from '../http';
import type { Route } from '../router';
import { groupJson, userJson } from '../views';

export const groupRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/groups',
    handler: (req, { state }) => {
      let groups = [...state.groups.values()];
      const q = req.query.get('q')?.toLowerCase();
      // `q` matches the start of the group name, as Okta's does.
      if (q) groups = groups.filter((g) => g.profile.name.toLowerCase().startsWith(q));
      const search = req.query.get('search') ?? req.query.get('filter');
      if (search) {
        const expr = parseExpression(search, req.query.has('search') ? 'search' : 'filter');
        groups = groups.filter((g) => matches(expr, g));
      }
      // Okta doesn't page a `q` query: it answers up to 300 groups (or `limit`), exact name matches first, and no
      // next link.
      const exactFirst = (a: { profile: { name: string } }, b: { profile: { name: string } }) =>
        Number(a.profile.name.toLowerCase() !== q) - Number(b.profile.name.toLowerCase() !== q);
      const { page, headers } = paginate(
        req,
        groups,
        q
          ? { defaultLimit: 300, maxLimit: 10000, single: true, compare: exactFirst }
          : { defaultLimit: 10000, maxLimit: 10000 },
      );
      return ok(
        page.map((g) => groupJson(req.baseUrl, g)),
        headers,
      );
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/groups',
    handler: (req, { state }) => {
      const body = asObject(req.json());
      const profile = body.profile === undefined ? {} : asObject(body.profile);
      return ok(groupJson(req.baseUrl, state.createGroup(profile)));
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/groups/:gid',
    handler: (req, { state }) => ok(groupJson(req.baseUrl, state.requireGroup(req.params.gid!))),
  },
  {
    method: 'GET',
    pattern: '/api/v1/groups/:gid/users',
    handler: (req, { state }) => {
      const users = state.groupMemberIds(req.params.gid!).map((id) => state.users.get(id)!);
      const { page, headers } = paginate(req, users, { defaultLimit: 1000, maxLimit: 1000 });
      return ok(
        page.map((u) => userJson(req.baseUrl, u)),
        headers,
      );
    },
  },
  {
    method: 'PUT',
    pattern: '/api/v1/groups/:gid/users/:uid',
    handler: (req, { state }) => {
      state.addMember(req.params.gid!, req.params.uid!);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/groups/:gid/users/:uid',
    handler: (req, { state }) => {
      state.removeMember(req.params.gid!, req.params.uid!);
      return noContent();
    },
  },
];
