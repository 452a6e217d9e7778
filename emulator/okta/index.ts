import { signingKey } from './certs';
import type { EmulatorContext } from './context';
import { HookDispatcher, DEFAULT_HOOK_SETTINGS } from './hooks';
import type { EmulatorControl, EmulatorSnapshot } from './control-api';
import { DEFAULT_RATE_LIMIT_SETTINGS, RateLimiter, mergeRateLimits } from './rate-limits';
import { seededRandom } from './random';
import { Router } from './router';
import { logRoutes } from './routes/logs';
import { SystemLog } from './system-log';
import { signingWithRotation } from './signing-rotation';
import { nowIso } from './ids';
import { appGroupRoutes } from './routes/app-groups';
import { appRoutes } from './routes/apps';
import { appKeyRoutes } from './routes/app-keys';
import { controlRoutes } from './routes/control';
import { eventHookRoutes } from './routes/event-hooks';
import { federatedClaimRoutes } from './routes/federated-claims';
import { groupRoutes } from './routes/groups';
import { oauthRoutes } from './routes/oauth';
import { principalRateLimitRoutes } from './routes/principal-rate-limits';
import { userRoutes } from './routes/users';
import { usernameUpdateRoutes } from './routes/username-update';
import { DEMO_SEED } from './seeds/demo';
import { EMPTY_SEED } from './seeds/empty';
import { EmulatorServer } from './server';
import { issueSamlResponse, ssoBrowserRoutes, ssoControlRoutes } from './sso';
import { DEFAULT_ORG_SETTINGS, EmulatorState } from './state';
import type { EmulatorOptions, FaultSettings, SeedData } from './types';
import { appJson, appUserJson } from './views';

export * from './types';
export type { EmulatorControl, EmulatorSnapshot } from './control-api';
export { DEMO, DEMO_SEED, frontlineSamlApp } from './seeds/demo';
export { EMPTY_SEED } from './seeds/empty';
export type { LogEvent } from './events';
export { EmulatorState } from './state';
export { SsoRefusedError, autoPostForm } from './sso';
export type { IssuedSamlResponse, SamlAttribute, SsoRefusalCode } from './sso';

/** The SSWS token the emulator accepts unless told otherwise. Not a secret: it only opens the local emulator. */
export const DEFAULT_EMULATOR_TOKEN = '00emulator-local-dev-token';

export const DEFAULT_FAULTS: FaultSettings = {
  readErrorRate: 0,
  writeErrorRate: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  hookDuplicateRate: 0,
  hookReorderRate: 0,
  hookDropRate: 0,
  logDelayRate: 0,
  logDelayMs: 2000,
};

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  token: string;
  stop(): Promise<void>;
  state: EmulatorReadState;
  control: EmulatorControl;
}

/** Read helpers for tests; they return copies as the API would show them. */
export interface EmulatorReadState {
  raw: EmulatorState;
  getUser(idOrLogin: string): Record<string, unknown> | undefined;
  listGroupMemberIds(groupId: string): string[];
  listAppUsers(appId: string): { id: string; scope: 'USER' | 'GROUP'; userName: string }[];
  getApp(appId: string): Record<string, unknown> | undefined;
  listEventHooks(): Record<string, unknown>[];
}

function resolveSeed(seed: EmulatorOptions['seed']): SeedData {
  if (seed === undefined || seed === 'demo') return DEMO_SEED;
  if (seed === 'empty') return EMPTY_SEED;
  return seed;
}

/** Starts an Okta org emulator on 127.0.0.1 (port 0 = a free one). */
export async function startOktaEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const token = options.token ?? DEFAULT_EMULATOR_TOKEN;
  const random = seededRandom(options.randomSeed ?? 1);
  let faults: FaultSettings = { ...DEFAULT_FAULTS, ...options.faults };
  const rateLimiter = new RateLimiter(mergeRateLimits(DEFAULT_RATE_LIMIT_SETTINGS, options.rateLimits));
  let url = '';
  let startSeed = options.seed;

  // The state reports changes to the dispatcher, which is made just below (changes only happen after both exist).
  const state = new EmulatorState((change) => hooks.onChange(change));
  const hooks = new HookDispatcher(
    state,
    { ...DEFAULT_HOOK_SETTINGS, ...options.hooks },
    faults,
    random,
    () => url,
    seededRandom((options.randomSeed ?? 1) + 0x9e3779b9),
    new SystemLog(faults, seededRandom((options.randomSeed ?? 1) + 0x7f4a7c15)),
  );
  const ctx: EmulatorContext = {
    state,
    hooks,
    keys: new Map(),
    orgName: 'emulator',
    accessTokens: new Map(),
    usedAssertions: new Map(),
    usedDpopProofs: new Map(),
    rateLimiter,
  };

  async function load(seed: EmulatorOptions['seed']): Promise<void> {
    const data = resolveSeed(seed);
    state.load(data);
    Object.assign(state.settings, DEFAULT_ORG_SETTINGS, data.settings, options.org);
    for (const app of state.apps.values()) {
      if (app.json.signOnMode !== 'SAML_2_0') continue;
      if (app.kids.length === 0) {
        // A SAML app always has a signing key; give seeded ones without a kid a stable one.
        const kid = `emu-${String(app.json.id)}`;
        app.kids.push(kid);
        (app.json.credentials as Record<string, unknown>).signing = { kid };
      }
      for (const kid of app.kids) ctx.keys.set(kid, await signingKey(kid, ctx.orgName));
      const creds = app.json.credentials as { signing: Record<string, unknown> };
      creds.signing = signingWithRotation(undefined, creds.signing, String(creds.signing.kid), nowIso());
    }
    for (const h of data.eventHooks ?? []) {
      // Seeded hooks go through the same validation as created ones.
      ctx.hooks.seedHook(h);
    }
  }

  await load(options.seed);

  const control: EmulatorControl = {
    async reset(seed) {
      if (seed !== undefined) startSeed = seed;
      // Events from before the reset are not delivered after it.
      await ctx.hooks.quiesce();
      await load(startSeed);
      ctx.accessTokens.clear();
      ctx.usedAssertions.clear();
      ctx.usedDpopProofs.clear();
      server.log.length = 0;
      rateLimiter.reset();
      ctx.hooks.clear();
    },
    snapshot: () => snapshot(ctx, url),
    requestLog: () => [...server.log],
    clearRequestLog: () => void (server.log.length = 0),
    setFaults(patch) {
      faults = { ...faults, ...patch };
      ctx.hooks.faults = faults;
      ctx.hooks.log.faults = faults;
      return faults;
    },
    setRateLimits(patch) {
      rateLimiter.settings = mergeRateLimits(rateLimiter.settings, patch);
      rateLimiter.reset();
      return rateLimiter.settings;
    },
    setHookSettings(patch) {
      ctx.hooks.settings = { ...ctx.hooks.settings, ...patch };
      return ctx.hooks.settings;
    },
    setOrgSettings(patch) {
      Object.assign(state.settings, patch);
      return { ...state.settings };
    },
    completeTransitions: () => state.completeTransitions(),
    deliveries: () => ctx.hooks.deliveries(),
    events: () => ctx.hooks.events(),
    flushHooks: () => ctx.hooks.flush(),
    flushLog: () => ctx.hooks.log.flush(),
    persistLogEvent: (event) => ctx.hooks.log.persist(event),
    issueSamlResponse: (appId, userIdOrLogin) => issueSamlResponse(ctx, appId, userIdOrLogin),
  };

  const api = new Router().add([
    ...userRoutes,
    ...groupRoutes,
    ...appRoutes,
    ...appKeyRoutes,
    ...appGroupRoutes,
    ...federatedClaimRoutes,
    ...eventHookRoutes,
    ...oauthRoutes,
    ...logRoutes,
    ...principalRateLimitRoutes,
  ]);
  const controlRouter = new Router().add([
    ...controlRoutes(control),
    ...ssoControlRoutes,
    ...usernameUpdateRoutes,
  ]);
  const server = new EmulatorServer({
    ctx,
    api,
    control: controlRouter,
    browser: new Router().add(ssoBrowserRoutes),
    token: () => token,
    rateLimiter,
    faults: () => faults,
    random,
    requestLogSize: options.requestLogSize ?? 10_000,
  });
  const host = options.host ?? '127.0.0.1';
  const port = await server.listen(options.port ?? 0, host);
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const readState: EmulatorReadState = {
    raw: state,
    getUser(id) {
      const u = state.findUser(id);
      return u ? structuredClone({ ...u }) : undefined;
    },
    listGroupMemberIds: (gid) => (state.groups.has(gid) ? state.groupMemberIds(gid) : []),
    listAppUsers: (appId) =>
      [...(state.appUsers.get(appId)?.values() ?? [])]
        .map((au) => ({ id: au.id, scope: state.appUserScope(au), userName: au.userName }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    getApp(appId) {
      const app = state.apps.get(appId);
      return app ? appJson(url, app) : undefined;
    },
    listEventHooks: () => ctx.hooks.listHooks(url),
  };

  return {
    url,
    token,
    state: readState,
    control,
    async stop() {
      state.cancelTransitions();
      ctx.hooks.log.flush();
      ctx.hooks.stop();
      await server.close();
    },
  };
}

function snapshot(ctx: EmulatorContext, url: string): EmulatorSnapshot {
  const { state } = ctx;
  return structuredClone({
    users: [...state.users.values()].map((u) => ({ ...u })),
    groups: [...state.groups.values()].map((g) => ({
      id: g.id,
      name: g.profile.name,
      type: g.type,
      memberIds: state.groupMemberIds(g.id),
    })),
    apps: [...state.apps.values()].map((a) => {
      const id = String(a.json.id);
      return {
        app: appJson(url, a),
        users: [...(state.appUsers.get(id)?.values() ?? [])].map((au) => appUserJson(url, state, id, au)),
        groupIds: [...(state.appGroups.get(id)?.keys() ?? [])],
      };
    }),
    eventHooks: ctx.hooks.listHooks(url),
  });
}
