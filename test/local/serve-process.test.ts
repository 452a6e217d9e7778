import { randomBytes } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator, type SeedData } from '../../emulator/okta';
import {
  LISTENING,
  membershipDelivery,
  postDelivery,
  serveEnv,
  spawnServe,
  type ServeProcess,
} from '../../scripts/bench/serve-process';
import { run as dlq } from '../../src/cli/dlq';
import { captureOutput, tempDir } from '../app-guard/helpers';

/*
 * `serve` in real processes: what survives kill -9, what a signal does through npm and to a whole process group,
 * and what stops it at start.
 */
const users = Array.from({ length: 30 }, (_, i) => ({
  id: `00ukill${String(i).padStart(13, '0')}`,
  status: 'ACTIVE' as const,
  profile: { login: `kill${i}@example.com`, email: `kill${i}@example.com`, firstName: 'K', lastName: `${i}` },
}));
/** A member no other test touches, for the dead-letter test. */
const parked = {
  id: '00udlqparked00000001',
  status: 'ACTIVE' as const,
  profile: { login: 'parked@example.com', email: 'parked@example.com', firstName: 'P', lastName: 'Arked' },
};
const seed: SeedData = {
  ...DEMO_SEED,
  users: [...(DEMO_SEED.users ?? []), ...users, parked],
  memberships: {
    ...DEMO_SEED.memberships,
    [DEMO.groupId]: [...(DEMO_SEED.memberships?.[DEMO.groupId] ?? []), ...users.map((u) => u.id), parked.id],
  },
};

describe('Process: cli serve', () => {
  let emulator: RunningEmulator;
  const tmp = tempDir();
  const secret = randomBytes(24).toString('base64url');
  const running: ServeProcess[] = [];
  const start = (env: Record<string, string>, options: { via?: 'npm'; detached?: boolean } = {}) => {
    const serve = spawnServe({ env, ...options });
    running.push(serve);
    return serve;
  };
  const envFor = (dataDir: string, extra: Record<string, string> = {}) =>
    serveEnv(
      emulator,
      { groupId: DEMO.groupId, appId: DEMO.appId },
      {
        OKTA_HOOK_SECRET: secret,
        FRONTLINE_DATA_DIR: dataDir,
        ...extra,
      },
    );
  const assigned = (id: string) => emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === id);

  beforeAll(async () => {
    emulator = await startOktaEmulator({ seed, rateLimits: false, requestLogSize: 100_000 });
  });
  afterAll(async () => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await emulator.stop();
    tmp.cleanup();
  });

  it('converges every accepted item after kill -9 and a restart, writing each user once', async () => {
    const dataDir = `${tmp.dir}/kill`;
    // Slow Okta, so most of the burst is still queued when the process dies.
    emulator.control.setFaults({ latencyMs: 150 });
    const first = start(envFor(dataDir));
    const hookUrl = (await first.waitFor(LISTENING))[1]!;
    const body = membershipDelivery(
      DEMO.groupId,
      users.map((u, i) => ({ uuid: `kill-${i}`, userId: u.id })),
    );
    expect(await postDelivery(hookUrl, secret, body)).toBe(200);
    first.child.kill('SIGKILL');
    await first.exited;
    const convergedBeforeRestart = users.filter((u) => assigned(u.id)).length;
    expect(convergedBeforeRestart).toBeLessThan(users.length);

    emulator.control.setFaults({ latencyMs: 0 });
    const second = start(envFor(dataDir));
    await second.waitFor(LISTENING);
    const deadline = Date.now() + 30_000;
    while (!users.every((u) => assigned(u.id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(users.filter((u) => assigned(u.id))).toHaveLength(users.length);

    const assignWrites = emulator.control
      .requestLog()
      .filter((e) => e.method === 'POST' && e.path === `/api/v1/apps/${DEMO.appId}/users` && e.status < 300);
    expect(assignWrites.length).toBeLessThanOrEqual(users.length + 4);
    second.child.kill('SIGTERM');
    const exit = await second.exited;
    expect(exit.code).toBe(0);
    expect(second.output()).toContain('Stopped. Left: 0 queued, 0 in flight, 0 dead-lettered.');
  }, 90_000);

  it('stops on SIGTERM to `npm run cli -- serve`, printing the summary', async () => {
    const serve = start(envFor(`${tmp.dir}/npm`), { via: 'npm' });
    await serve.waitFor(LISTENING);
    serve.child.kill('SIGTERM');
    await serve.waitFor(/Stopped\. Left: 0 queued/, 20_000);
    await serve.exited;
  }, 60_000);

  it('stops once on a Ctrl-C to the whole process group, printing the summary once', async () => {
    const serve = start(envFor(`${tmp.dir}/group`), { via: 'npm', detached: true });
    const hookUrl = (await serve.waitFor(LISTENING))[1]!;
    process.kill(-serve.child.pid!, 'SIGINT');
    await serve.waitFor(/Stopped\. Left:/, 20_000);
    await serve.exited;
    await new Promise((r) => setTimeout(r, 200));
    expect(serve.output().match(/Stopped\. Left:/g)).toHaveLength(1);
    await expect(fetch(hookUrl.replace('/okta/event-hook', '/healthz'))).rejects.toThrow();
  }, 60_000);

  it('after the drain timeout, names what was left and sends nothing to Okta after its final line', async () => {
    const dataDir = `${tmp.dir}/drain`;
    emulator.control.setFaults({ latencyMs: 1_500 });
    const serve = start(envFor(dataDir, { FRONTLINE_DRAIN_TIMEOUT_SECONDS: '0.3' }));
    const hookUrl = (await serve.waitFor(LISTENING))[1]!;
    const few = users.slice(0, 3);
    const body = membershipDelivery(
      DEMO.groupId,
      few.map((u, i) => ({ uuid: `drain-${i}`, userId: u.id })),
    );
    expect(await postDelivery(hookUrl, secret, body)).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    serve.child.kill('SIGTERM');
    const line = (await serve.waitFor(/Stopped\. Left: .*/, 20_000))[0];
    const stoppedAt = Date.now();
    expect((await serve.exited).code).toBe(3);
    expect(line).toMatch(new RegExp(`in flight \\(.*${few[0]!.id}`));
    expect(line).toContain('resume at the next start');
    await new Promise((r) => setTimeout(r, 2_000));
    emulator.control.setFaults({ latencyMs: 0 });
    const late = emulator.control
      .requestLog()
      .filter((e) => e.path.startsWith('/api/v1/') && Date.parse(e.time) > stoppedAt);
    expect(late).toEqual([]);
  }, 60_000);

  it('lists and replays dead letters from another process while serve runs, and reports health', async () => {
    const dataDir = `${tmp.dir}/dlq`;
    const serve = start(envFor(dataDir, { WORK_MAX_RECEIVES: '1' }));
    const hookUrl = (await serve.waitFor(LISTENING))[1]!;
    const healthz = async () =>
      (await (
        await fetch(hookUrl.replace('/okta/event-hook', '/healthz'), { headers: { Authorization: secret } })
      ).json()) as { status: string };
    const user = parked;
    expect(assigned(user.id)).toBe(false);
    emulator.control.setFaults({ readErrorRate: 1 });
    const body = membershipDelivery(DEMO.groupId, [{ uuid: 'dlq-1', userId: user.id }]);
    expect(await postDelivery(hookUrl, secret, body)).toBe(200);
    const deadline = Date.now() + 10_000;
    while ((await healthz()).status !== 'degraded' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await healthz()).toMatchObject({ status: 'degraded', queue: { dead: 1 } });

    const listed = await captureOutput(() => dlq(['list', '--json'], { FRONTLINE_DATA_DIR: dataDir }));
    expect(JSON.parse(listed.stdout).deadLetters).toEqual([
      expect.objectContaining({
        userId: user.id,
        attempts: 1,
        lastError: expect.stringContaining('OktaTransientError'),
      }),
    ]);
    emulator.control.setFaults({ readErrorRate: 0 });
    expect((await captureOutput(() => dlq(['replay', '--all'], { FRONTLINE_DATA_DIR: dataDir }))).code).toBe(
      0,
    );
    const done = Date.now() + 10_000;
    while (!assigned(user.id) && Date.now() < done) await new Promise((r) => setTimeout(r, 50));
    expect(assigned(user.id)).toBe(true);
    expect(await healthz()).toMatchObject({ status: 'ok', queue: { dead: 0 } });
    serve.child.kill('SIGTERM');
    await serve.exited;
  }, 60_000);

  it('refuses to start with one line per configuration problem', async () => {
    const badKey = start({
      ...envFor(`${tmp.dir}/bad`),
      OKTA_API_TOKEN: '',
      OKTA_CLIENT_ID: '0oaprovisioner000001',
      OKTA_PRIVATE_KEY: 'not a key',
    });
    expect((await badKey.exited).code).toBe(1);
    expect(badKey.output().trim().split('\n')).toEqual([
      expect.stringMatching(/^Configuration error: OKTA_PRIVATE_KEY is not a PEM private key/),
    ]);

    const rejected = start({ ...envFor(`${tmp.dir}/bad`), OKTA_API_TOKEN: 'not-the-token' });
    expect((await rejected.exited).code).toBe(1);
    expect(rejected.output()).toMatch(/^Configuration error: Okta at \S+ rejects the credentials/m);
    expect(rejected.output()).not.toContain('not-the-token');
  }, 60_000);
});
