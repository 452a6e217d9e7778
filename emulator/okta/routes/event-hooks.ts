import { OktaHttpError, notFound } from '../errors';
import { asObject, noContent, ok } from '../http';
import { nowIso } from '../ids';
import type { Route } from '../router';
import type { EventHookRecord } from '../state';
import { eventHookJson } from '../views';
import type { EmulatorContext } from '../context';

function requireHook({ state }: EmulatorContext, id: string): EventHookRecord {
  const hook = state.eventHooks.get(id);
  if (!hook) throw notFound(id, 'EventHook');
  return hook;
}

export const eventHookRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/eventHooks',
    handler: (req, ctx) => ok(ctx.hooks.listHooks(req.baseUrl)),
  },
  {
    method: 'POST',
    pattern: '/api/v1/eventHooks',
    handler: (req, ctx) => ok(eventHookJson(req.baseUrl, ctx.hooks.createHook(asObject(req.json())))),
  },
  {
    method: 'GET',
    pattern: '/api/v1/eventHooks/:id',
    handler: (req, ctx) => ok(eventHookJson(req.baseUrl, requireHook(ctx, req.params.id!))),
  },
  {
    method: 'PUT',
    pattern: '/api/v1/eventHooks/:id',
    handler: (req, ctx) => {
      const hook = requireHook(ctx, req.params.id!);
      const next = ctx.hooks.parseHook(asObject(req.json()), hook);
      // Okta: "Updating the channel property will require you to verify an event hook again" (uri, headers or auth).
      if (JSON.stringify(next.channel) !== JSON.stringify(hook.channel))
        hook.verificationStatus = 'UNVERIFIED';
      Object.assign(hook, next, { lastUpdated: nowIso() });
      ctx.hooks.changed(hook);
      return ok(eventHookJson(req.baseUrl, hook));
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/eventHooks/:id',
    handler: (req, ctx) => {
      const hook = requireHook(ctx, req.params.id!);
      if (hook.status !== 'INACTIVE')
        throw new OktaHttpError(400, 'E0000001', 'Api validation failed: eventHook', [
          'Cannot delete an event hook that is ACTIVE. Deactivate it first.',
        ]);
      ctx.state.eventHooks.delete(hook.id);
      return noContent();
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/eventHooks/:id/lifecycle/activate',
    handler: (req, ctx) => {
      const hook = requireHook(ctx, req.params.id!);
      if (hook.status !== 'ACTIVE') ctx.hooks.changed(hook);
      hook.status = 'ACTIVE';
      hook.lastUpdated = nowIso();
      return ok(eventHookJson(req.baseUrl, hook));
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/eventHooks/:id/lifecycle/deactivate',
    handler: (req, ctx) => {
      const hook = requireHook(ctx, req.params.id!);
      hook.status = 'INACTIVE';
      hook.lastUpdated = nowIso();
      return ok(eventHookJson(req.baseUrl, hook));
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/eventHooks/:id/lifecycle/verify',
    handler: async (req, ctx) => {
      const hook = requireHook(ctx, req.params.id!);
      await ctx.hooks.verify(hook);
      return ok(eventHookJson(req.baseUrl, hook));
    },
  },
];
