import { asObject, noContent, ok } from '../http';
import type { EmulatorControl } from '../control-api';
import type { Route } from '../router';
import type { FaultSettings, OrgSettings, RateLimitSettings, SeedData } from '../types';

/** `/__emulator/*`: for tests and the demo only; production code never calls these. */
export function controlRoutes(control: EmulatorControl): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/__emulator/reset',
      handler: async (req) => {
        const body = req.rawBody.trim() ? asObject(req.json()) : {};
        await control.reset(body.seed as 'demo' | 'empty' | SeedData | undefined);
        return noContent();
      },
    },
    { method: 'GET', pattern: '/__emulator/state', handler: () => ok(control.snapshot()) },
    { method: 'GET', pattern: '/__emulator/requests', handler: () => ok(control.requestLog()) },
    {
      method: 'DELETE',
      pattern: '/__emulator/requests',
      handler: () => {
        control.clearRequestLog();
        return noContent();
      },
    },
    {
      method: 'PUT',
      pattern: '/__emulator/faults',
      handler: (req) => ok(control.setFaults(asObject(req.json()) as Partial<FaultSettings>)),
    },
    {
      method: 'PUT',
      pattern: '/__emulator/rate-limits',
      handler: (req) => {
        const body = req.json();
        return ok(
          control.setRateLimits(body === false ? false : (asObject(body) as Partial<RateLimitSettings>)),
        );
      },
    },
    {
      method: 'PUT',
      pattern: '/__emulator/org-settings',
      handler: (req) => ok(control.setOrgSettings(asObject(req.json()) as Partial<OrgSettings>)),
    },
    {
      method: 'POST',
      pattern: '/__emulator/complete-transitions',
      handler: () => {
        control.completeTransitions();
        return noContent();
      },
    },
    { method: 'GET', pattern: '/__emulator/deliveries', handler: () => ok(control.deliveries()) },
    { method: 'GET', pattern: '/__emulator/events', handler: () => ok(control.events()) },
    {
      method: 'POST',
      pattern: '/__emulator/flush-hooks',
      handler: async () => {
        await control.flushHooks();
        return noContent();
      },
    },
  ];
}
