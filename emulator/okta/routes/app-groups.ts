import { notFound, validation } from '../errors';
import { asObject, noContent, ok } from '../http';
import { appGroupPage } from './app-group-page';
import type { Route } from '../router';
import { appGroupJson } from '../views';

/** Group → app assignments (Apps API "Application groups"): list, read, assign/update, unassign. */
export const appGroupRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/groups',
    handler: (req, { state }) => {
      const appId = req.params.appId!;
      state.requireApp(appId);
      const { page, headers } = appGroupPage(req, state, [...state.appGroups.get(appId)!.values()]);
      return ok(
        page.map((g) => appGroupJson(req.baseUrl, appId, g)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:appId/groups/:groupId',
    handler: (req, { state }) => {
      const appId = req.params.appId!;
      state.requireApp(appId);
      const g = state.appGroups.get(appId)!.get(req.params.groupId!);
      if (!g) throw notFound(req.params.groupId!, 'ApplicationGroupAssignment');
      return ok(appGroupJson(req.baseUrl, appId, g));
    },
  },
  {
    method: 'PUT',
    pattern: '/api/v1/apps/:appId/groups/:groupId',
    handler: (req, { state }) => {
      const appId = req.params.appId!;
      const body = req.rawBody.trim() ? asObject(req.json()) : {};
      if (body.priority !== undefined && (typeof body.priority !== 'number' || body.priority < 0))
        throw validation(['priority: must be a number of 0 or more']);
      const g = state.assignGroup(
        appId,
        req.params.groupId!,
        body.priority as number | undefined,
        true,
        body.profile === undefined || body.profile === null ? undefined : asObject(body.profile),
      );
      return ok(appGroupJson(req.baseUrl, appId, g));
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/apps/:appId/groups/:groupId',
    handler: (req, { state }) => {
      state.unassignGroup(req.params.appId!, req.params.groupId!);
      return noContent();
    },
  },
];
