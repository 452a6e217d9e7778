import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import type { OktaCredentials } from '../../src/okta/client';
import { OktaPermanentError, OktaTransientError } from '../../src/okta/errors';
import { sdkDirectoryProvider, staticCredentials, type CredentialsSource } from '../../src/okta/credentials';
import { CredentialsRejectedError, RetryLaterError, retryAtOf } from '../../src/worker/errors';
import { resolvePolicy } from '../../src/domain/policy';
import { UserNameTemplateError } from '../../src/domain/username-template';
import { createWorker, type WorkerLogger } from '../../src/worker/worker';
import { workItem } from './factories';
import { InMemoryUserTypeMemory } from '../../src/domain/user-type-memory';

interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  extra: Record<string, unknown>;
}

function recorder(): WorkerLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, extra) => lines.push({ level: 'info', message, extra }),
    warn: (message, extra) => lines.push({ level: 'warn', message, extra }),
    error: (message, extra) => lines.push({ level: 'error', message, extra }),
  };
}

/** Credentials that start stale and turn good on refresh (a rotation), counting fetches. */
function rotatingCredentials(stale: OktaCredentials, fresh: OktaCredentials | undefined) {
  let current = stale;
  const source: CredentialsSource & { refreshes: number } = {
    refreshes: 0,
    get: async () => current,
    refresh: async () => {
      source.refreshes += 1;
      if (fresh) current = fresh;
      return fresh;
    },
  };
  return source;
}

let emulator: RunningEmulator;
const ssws = (token: string): OktaCredentials => ({ kind: 'ssws', token });

function build(credentials: CredentialsSource, logger = recorder(), clearUserTypeOnRemoval = false) {
  const worker = createWorker({
    userTypes: new InMemoryUserTypeMemory(),
    directory: sdkDirectoryProvider({ orgUrl: emulator.url, credentials }),
    settings: {
      appId: DEMO.appId,
      policy: resolvePolicy({ groupIds: [DEMO.groupId], clearUserTypeOnRemoval }),
    },
    logger,
  });
  return { worker, logger };
}

beforeAll(async () => {
  emulator = await startOktaEmulator({ seed: 'demo' });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.control.reset();
  emulator.control.setRateLimits({ limits: { apps: 100 } });
  emulator.control.setFaults({ readErrorRate: 0, writeErrorRate: 0 });
});

describe('Function: createWorker / processWorkItem', () => {
  it('writes exactly one structured log line per convergence with user, triggers, actions, outcome, duration', async () => {
    const { worker, logger } = build(staticCredentials(ssws(emulator.token)));

    const outcome = await worker.processWorkItem(workItem(DEMO.users.wrongType, 'group.user_membership.add'));

    expect(outcome.outcome).toBe('converged');
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'info',
      message: 'convergence',
      extra: {
        userId: DEMO.users.wrongType,
        triggers: [`uuid-${DEMO.users.wrongType}-0`],
        eventTypes: ['group.user_membership.add'],
        actions: [
          { type: 'set-user-type', result: 'applied' },
          { type: 'assign', result: 'applied' },
        ],
        outcome: 'converged',
        appsBucketCalls: 1,
        durationMs: expect.any(Number),
      },
    });
  });

  it('logs a skip with its code and reason', async () => {
    const { worker, logger } = build(staticCredentials(ssws(emulator.token)));

    await worker.processWorkItem(workItem(DEMO.users.mastered));

    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'info',
        extra: expect.objectContaining({
          outcome: 'skipped',
          skipCode: 'mastered-elsewhere',
          reason: expect.stringContaining('E0000023'),
        }),
      }),
    ]);
  });

  it('refreshes rotated credentials once after a 401 and converges with the new ones', async () => {
    const credentials = rotatingCredentials(ssws('rotated-away-token'), ssws(emulator.token));
    const { worker } = build(credentials);

    const outcome = await worker.processWorkItem(workItem(DEMO.users.wrongType));

    expect(outcome.outcome).toBe('converged');
    expect(credentials.refreshes).toBe(1);
  });

  it('fails with CredentialsRejectedError, never logging the token, when no newer credentials exist', async () => {
    const token = 'super-secret-token-value-1234';
    const credentials = rotatingCredentials(ssws(token), undefined);
    const { worker, logger } = build(credentials);

    await expect(worker.processWorkItem(workItem(DEMO.users.wrongType))).rejects.toBeInstanceOf(
      CredentialsRejectedError,
    );
    expect(credentials.refreshes).toBe(1);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'error', extra: { outcome: 'failed' } });
    expect(JSON.stringify(logger.lines)).not.toContain(token);
  });

  it('throws RetryLaterError carrying the reset time on a 429, and logs it as retry-later', async () => {
    emulator.control.setRateLimits({ limits: { apps: 0 } });
    const { worker, logger } = build(staticCredentials(ssws(emulator.token)));

    const error = await worker.processWorkItem(workItem(DEMO.users.wrongType)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetryLaterError);
    expect(retryAtOf(error)).toBeGreaterThan(Date.now() - 1000);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', extra: expect.objectContaining({ outcome: 'retry-later' }) }),
    ]);
  });

  it('rethrows a transient Okta failure for the queue to retry', async () => {
    emulator.control.setFaults({ writeErrorRate: 1 });
    const { worker, logger } = build(staticCredentials(ssws(emulator.token)));

    await expect(worker.processWorkItem(workItem(DEMO.users.wrongType))).rejects.toBeInstanceOf(
      OktaTransientError,
    );
    expect(logger.lines[0]).toMatchObject({ level: 'warn', extra: { outcome: 'retry' } });
  });

  it('fails loudly, not as a skip, when the credential lacks a scope (403 other than E0000023)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'ro-1', use: 'sig', alg: 'RS256' };
    await emulator.control.reset({
      ...DEMO_SEED,
      serviceApps: [
        { clientId: '0oareadonly000000001', publicJwk, scopes: ['okta.users.read', 'okta.groups.read'] },
      ],
    });
    const { worker, logger } = build(
      staticCredentials({
        kind: 'private-key',
        clientId: '0oareadonly000000001',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        keyId: 'ro-1',
        scopes: ['okta.users.read', 'okta.groups.read'],
      }),
    );

    const error = await worker.processWorkItem(workItem(DEMO.users.wrongType)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OktaPermanentError);
    expect((error as OktaPermanentError).kind).toBe('forbidden');
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'error', extra: expect.objectContaining({ outcome: 'failed' }) }),
    ]);
  });

  it('is idempotent: processing the same item twice makes no write the second time', async () => {
    const { worker } = build(staticCredentials(ssws(emulator.token)));
    await worker.processWorkItem(workItem(DEMO.users.wrongType));
    emulator.control.clearRequestLog();

    const second = await worker.processWorkItem(workItem(DEMO.users.wrongType));

    expect(second).toMatchObject({ outcome: 'no-change', actions: [] });
    expect(emulator.control.requestLog().filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('rejects a bad username template when created, not when a user is processed', () => {
    expect(() =>
      createWorker({
        userTypes: new InMemoryUserTypeMemory(),
        directory: sdkDirectoryProvider({ orgUrl: emulator.url, credentials: staticCredentials(ssws('x')) }),
        settings: {
          appId: DEMO.appId,
          policy: resolvePolicy({ groupIds: [DEMO.groupId], pinnedUserNameTemplate: '${user.whatever}' }),
        },
        logger: recorder(),
      }),
    ).toThrow(UserNameTemplateError);
  });
});

describe('Function: sdkDirectoryProvider', () => {
  it('builds one client per credentials and a new one only when they change', async () => {
    const built: string[] = [];
    const credentials = rotatingCredentials(ssws('a'), ssws('b'));
    const provider = sdkDirectoryProvider({
      orgUrl: 'http://127.0.0.1:1',
      credentials,
      build: (_url, c) => {
        built.push(c.kind === 'ssws' ? c.token : c.clientId);
        return {} as never;
      },
    });

    await provider.get();
    await provider.get();
    expect(built).toEqual(['a']);
    await provider.refresh();
    await provider.get();
    expect(built).toEqual(['a', 'b']);
  });

  it('answers undefined from refresh when the credentials did not change', async () => {
    const provider = sdkDirectoryProvider({
      orgUrl: 'http://127.0.0.1:1',
      credentials: rotatingCredentials(ssws('same'), ssws('same')),
      build: () => ({}) as never,
    });
    await provider.get();

    await expect(provider.refresh()).resolves.toBeUndefined();
  });
});

describe('Function: createWorker / processWorkItem with failures no retry can fix', () => {
  it('skips an item whose user id is not an Okta id with a reason, without calling Okta', async () => {
    const { worker } = build(staticCredentials(ssws(emulator.token)));
    emulator.control.clearRequestLog();
    for (const userId of ['..', 'me', '\uD800' + 'a'.repeat(19)]) {
      const outcome = await worker.processWorkItem(workItem(userId));
      expect(outcome).toMatchObject({ outcome: 'skipped', skipCode: 'invalid-request', actions: [] });
      expect(outcome.reason).toContain('not an Okta user id');
    }
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it('skips with a reason, instead of retrying, when the private key cannot be read', async () => {
    const { worker, logger } = build(
      staticCredentials({
        kind: 'private-key',
        clientId: '0oa1',
        privateKey: 'not a key',
        scopes: ['okta.users.read'],
      }),
    );
    const outcome = await worker.processWorkItem(workItem(DEMO.users.wrongType));
    expect(outcome).toMatchObject({ outcome: 'skipped', skipCode: 'invalid-private-key' });
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'info', extra: expect.objectContaining({ outcome: 'skipped' }) }),
    ]);
  });
});
