import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { createOktaClient, OKTA_SCOPES } from '../../src/okta/client';
import { registerEventHook } from '../../src/okta/event-hooks';

/*
 * `npm run cli -- serve` as an operator runs it: a separate process configured only by environment variables,
 * here with an OAuth 2.0 service app (private_key_jwt) instead of an API token.
 */
describe('Command: cli serve', () => {
  const root = join(__dirname, '..', '..');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'svc-key-1', use: 'sig', alg: 'RS256' };
  const hookSecret = randomBytes(24).toString('base64url');
  let emulator: RunningEmulator;
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'serve-cli-'));

  beforeAll(async () => {
    emulator = await startOktaEmulator({
      seed: {
        ...DEMO_SEED,
        serviceApps: [{ clientId: '0oaprovisioner000001', publicJwk, scopes: OKTA_SCOPES }],
      },
      rateLimits: false,
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('onboards through a service app configured by environment, and drains on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/cli.ts', 'serve'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          POWERTOOLS_LOG_LEVEL: 'WARN',
          OKTA_ORG_URL: emulator.url,
          OKTA_CLIENT_ID: '0oaprovisioner000001',
          OKTA_PRIVATE_KEY: privatePem.replace(/\n/g, '\\n'),
          OKTA_KEY_ID: 'svc-key-1',
          FRONTLINE_GROUP_ID: DEMO.groupId,
          FRONTLINE_APP_ID: DEMO.appId,
          OKTA_HOOK_SECRET: hookSecret,
          PORT: '0',
          FRONTLINE_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const hookUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}${stderr}`)), 30_000);
      child!.stdout!.on('data', () => {
        const match = /listening on (http:\/\/\S+\/okta\/event-hook)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });

    const admin = createOktaClient({
      orgUrl: emulator.url,
      credentials: { kind: 'ssws', token: emulator.token },
    });
    const hook = await registerEventHook(admin, {
      name: 'Frontline provisioner',
      url: hookUrl,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret: hookSecret,
    });
    expect(hook.verified).toBe(true);
    await admin.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await emulator.control.flushHooks();
    const deadline = Date.now() + 20_000;
    const assigned = (): boolean =>
      emulator.state.listAppUsers(DEMO.appId).some((u) => u.id === DEMO.users.newHire);
    while (!assigned() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    expect(assigned()).toBe(true);
    expect((emulator.state.getUser(DEMO.users.newHire)?.profile as { userType?: string }).userType).toBe(
      'agent',
    );
    expect(emulator.control.requestLog().some((e) => e.path === '/oauth2/v1/token' && e.status === 200)).toBe(
      true,
    );

    const exitCode = await new Promise<number | null>((resolve) => {
      child!.once('exit', (code) => resolve(code));
      child!.kill('SIGTERM');
    });
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Stopped. Left: 0 queued, 0 in flight, 0 dead-lettered.');
    expect(stdout + stderr).not.toContain('PRIVATE KEY');
  }, 90_000);
});
