import { validation } from '../errors';
import { matches, parseExpression } from '../filters';
import { asObject, noContent, ok, paginate, type ApiRequest } from '../http';
import type { Route } from '../router';
import { appLinkJson, appLinkShown, groupJson, userJson } from '../views';

function profileOf(req: ApiRequest): Record<string, unknown> {
  const body = asObject(req.json());
  if (body.profile === undefined) return {};
  return asObject(body.profile);
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/users',
    handler: (req, { state }) => {
      let users = [...state.users.values()];
      const search = req.query.get('search') ?? req.query.get('filter');
      if (search) {
        const expr = parseExpression(search, req.query.has('search') ? 'search' : 'filter');
        users = users.filter((u) => matches(expr, u));
      } else {
        // Without search/filter Okta leaves out DEPROVISIONED users.
        users = users.filter((u) => u.status !== 'DEPROVISIONED');
      }
      const q = req.query.get('q')?.toLowerCase();
      if (q) {
        // Okta matches q against the start of firstName, lastName and email only (not login).
        users = users.filter((u) =>
          ['firstName', 'lastName', 'email'].some((k) =>
            String(u.profile[k] ?? '')
              .toLowerCase()
              .startsWith(q),
          ),
        );
      }
      // With q Okta returns 10 users unless told otherwise, and doesn't page ("you can use limit").
      const { page, headers } = paginate(req, users, {
        defaultLimit: q ? 10 : 200,
        maxLimit: 200,
        single: !!q,
      });
      return ok(
        page.map((u) => userJson(req.baseUrl, u)),
        headers,
      );
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/users',
    handler: (req, { state }) => {
      const body = asObject(req.json());
      const profile = body.profile === undefined ? {} : asObject(body.profile);
      const credentials =
        body.credentials === undefined || body.credentials === null ? {} : asObject(body.credentials);
      const groupIds = Array.isArray(body.groupIds) ? body.groupIds.map(String) : [];
      const user = state.createUser(profile, {
        activate: req.query.get('activate') !== 'false',
        hasPassword: credentials.password !== undefined,
        groupIds,
      });
      return ok(userJson(req.baseUrl, user));
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/users/:id',
    handler: (req, { state }) => ok(userJson(req.baseUrl, state.requireUser(req.params.id!))),
  },
  {
    method: 'POST',
    pattern: '/api/v1/users/:id',
    handler: (req, { state }) => {
      const user = state.updateProfile(req.params.id!, profileOf(req), false);
      return ok(userJson(req.baseUrl, user));
    },
  },
  {
    method: 'PUT',
    pattern: '/api/v1/users/:id',
    handler: (req, { state }) => {
      const body = asObject(req.json());
      if (body.profile === undefined) throw validation(['profile: The field cannot be left blank']);
      const user = state.updateProfile(req.params.id!, asObject(body.profile), true);
      return ok(userJson(req.baseUrl, user));
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/users/:id/groups',
    handler: (req, { state }) =>
      ok(state.listUserGroups(req.params.id!).map((g) => groupJson(req.baseUrl, g))),
  },
  {
    method: 'GET',
    pattern: '/api/v1/users/:id/appLinks',
    handler: (req, { state }) => {
      const user = state.requireUser(req.params.id!);
      const links = [];
      for (const [appId, users] of state.appUsers) {
        const au = users.get(user.id);
        const app = state.apps.get(appId);
        if (!au || !app || app.json.status !== 'ACTIVE' || !appLinkShown(app)) continue;
        links.push(appLinkJson(req.baseUrl, app, au, links.length));
      }
      return ok(links);
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/users/:id/lifecycle/:op',
    handler: (req, { state }) => {
      const op = req.params.op!;
      const user = state.lifecycle(req.params.id!, op);
      if (op === 'activate' || op === 'reactivate') {
        if (req.query.get('sendEmail') === 'false') {
          const token = `emu${user.id.slice(3)}`;
          return ok({ activationUrl: `${req.baseUrl}/welcome/${token}`, activationToken: token });
        }
        return ok({});
      }
      if (op === 'deactivate') return ok({});
      return ok({});
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/users/:id',
    handler: (req, { state }) => {
      const user = state.requireUser(req.params.id!);
      if (user.status !== 'DEPROVISIONED') {
        state.lifecycle(user.id, 'deactivate');
        return noContent();
      }
      state.deleteUser(user.id);
      return noContent();
    },
  },
];
