import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { membershipDelivery, postDelivery } from '../../scripts/bench/serve-process';
import { EVENT_HOOK_NAME } from '../../src/bootstrap/resource-types';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { createOktaClient } from '../../src/okta/client';
import { registerEventHook } from '../../src/okta/event-hooks';
import { tempDir } from '../app-guard/helpers';

/**
 * The emulator behind a switch that makes Okta answer every API call as it does for a revoked token (401
 * E0000011, Okta's "Invalid token provided"), and back: the emulator's own token can't be revoked and restored.
 */
async function revocableOkta(
  target: string,
): Promise<{ url: string; revoked: boolean; close(): Promise<void> }> {
  const state = { revoked: false };
  const server: Server = createServer((req, res) => {
    if (state.revoked && req.url?.startsWith('/api/')) {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errorCode: 'E0000011',
          errorSummary: 'Invalid token provided',
          errorLink: 'E0000011',
          errorId: 'oaeRevokedForTheTest',
          errorCauses: [],
        }),
      );
      return;
    }
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get revoked() {
      return state.revoked;
    },
    set revoked(value: boolean) {
      state.revoked = value;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('Integration: /healthz tells the truth', () => {
  let emulator: RunningEmulator;
  let okta: Awaited<ReturnType<typeof revocableOkta>>;
  let runtime: LocalRuntime;
  const tmp = tempDir();
  const secret = randomBytes(24).toString('base64url');
  const healthz = async (headers: Record<string, string> = { Authorization: secret }) =>
    (await fetch(`${runtime.url}/healthz`, { headers })).json() as Promise<{
      status: string;
      reasons?: string[];
    }>;
  const until = async (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return check();
  };

  beforeAll(async () => {
    emulator = await startOktaEmulator({ seed: DEMO_SEED, rateLimits: false });
    okta = await revocableOkta(emulator.url);
    runtime = await startLocalRuntime({
      settings: {
        ...settingsForOrg(
          { url: okta.url, token: emulator.token },
          { groupId: DEMO.groupId, appId: DEMO.appId },
        ),
        hookSecret: secret,
        // Both background runs on short timers, as they run every minute and hour in production.
        catchupIntervalSeconds: 0.5,
        reconcileIntervalSeconds: 0.5,
        // A failed item waits a minute: only the background runs can show the credentials work again.
        retryBaseSeconds: 60,
        dataDir: tmp.dir,
      },
      logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    });
    const client = createOktaClient({
      orgUrl: emulator.url,
      credentials: { kind: 'ssws', token: emulator.token },
    });
    const hook = await registerEventHook(client, {
      name: EVENT_HOOK_NAME,
      url: runtime.hookUrl,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret,
    });
    expect(hook.verified && hook.active).toBe(true);
  });
  afterAll(async () => {
    await runtime.stop(1_000);
    await okta.close();
    await emulator.stop();
    tmp.cleanup();
  });

  it('degrades while catch-up and backstop runs fail on revoked credentials, and clears at the next good run', async () => {
    expect(await until(async () => (await healthz()).status === 'ok', 5_000)).toBe(true);

    okta.revoked = true;
    expect(
      await postDelivery(
        runtime.hookUrl,
        secret,
        membershipDelivery(DEMO.groupId, [{ uuid: 'revoked-1', userId: DEMO.users.newHire }]),
      ),
    ).toBe(200);
    const failing = (reasons: string[] = []) =>
      ['System Log catch-up runs fail', 'backstop reconcile runs fail', 'Okta rejects the credentials'].every(
        (r) => reasons.some((reason) => reason.startsWith(r)),
      );
    expect(await until(async () => failing((await healthz()).reasons), 5_000)).toBe(true);
    expect(await healthz()).toMatchObject({ status: 'degraded' });

    okta.revoked = false;
    // The item Okta refused still waits for its retry; the runs that work again are what clears the reasons.
    expect(await until(async () => (await healthz()).status === 'ok', 5_000)).toBe(true);
    expect(await healthz()).toMatchObject({ status: 'ok', reasons: [] });
  }, 30_000);

  it('shows an unauthenticated caller the status alone', async () => {
    okta.revoked = true;
    expect(await until(async () => (await healthz()).status === 'degraded', 5_000)).toBe(true);

    expect(await healthz({})).toEqual({ status: 'degraded' });
    expect(await healthz({ Authorization: 'a-wrong-secret-of-enough-length' })).toEqual({
      status: 'degraded',
    });
    okta.revoked = false;
  }, 30_000);
});
