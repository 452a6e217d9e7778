import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { run as hookCommand } from '../../src/cli/hook';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { EventHookSpecError, HookRegistrationError, registerEventHook } from '../../src/okta/event-hooks';
import { captureOutput, clientFor } from '../app-guard/helpers';

const SECRET = 'hook-secret-for-tests-0123456789';

/**
 * A tiny stand-in receiver: answers a verification challenge when the auth header carries `expected`, the first
 * `answers` times (then 503).
 */
async function startChallengeReceiver(
  expected: string,
  answers = Infinity,
): Promise<{ url: string; challenges: number; close(): Promise<void> }> {
  const state = { challenges: 0 };
  const server: Server = createServer((req, res) => {
    const challenge = req.headers['x-okta-verification-challenge'];
    if (state.challenges >= answers) {
      res.writeHead(503).end();
      return;
    }
    if (req.method === 'GET' && typeof challenge === 'string' && req.headers.authorization === expected) {
      state.challenges += 1;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ verification: challenge }));
      return;
    }
    res.writeHead(401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/okta/event-hook`,
    get challenges() {
      return state.challenges;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'empty', rateLimits: false });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.reset('empty'));

const spec = (url: string, secret = SECRET) => ({
  name: 'Frontline provisioner',
  url,
  eventTypes: SUBSCRIBED_EVENT_TYPES,
  authHeader: 'Authorization',
  secret,
});

describe('Function: registerEventHook', () => {
  it('creates the hook for every subscribed event type, has Okta verify it, and activates it', async () => {
    const receiver = await startChallengeReceiver(SECRET);
    try {
      const result = await registerEventHook(clientFor(emu), spec(receiver.url));
      expect(result).toMatchObject({ action: 'created', verified: true, active: true });
      expect(receiver.challenges).toBe(2); // the provisioner's own challenge, then Okta's
      const hooks = emu.state.listEventHooks() as {
        events: { items: string[] };
        channel: { config: { uri: string } };
      }[];
      expect(hooks).toHaveLength(1);
      expect(hooks[0]?.events.items).toEqual([...SUBSCRIBED_EVENT_TYPES]);
      expect(hooks[0]?.channel.config.uri).toBe(receiver.url);
    } finally {
      await receiver.close();
    }
  });

  it('is idempotent: a second run updates the same hook (e.g. a rotated secret) instead of adding one', async () => {
    const first = await startChallengeReceiver(SECRET);
    const rotated = 'rotated-secret-for-tests-abcdef';
    try {
      await registerEventHook(clientFor(emu), spec(first.url));
      await first.close();
      const second = await startChallengeReceiver(rotated);
      try {
        const result = await registerEventHook(clientFor(emu), spec(second.url, rotated));
        expect(result).toMatchObject({ action: 'updated', verified: true, active: true });
        expect(emu.state.listEventHooks()).toHaveLength(1);
        expect(second.challenges).toBe(2); // the provisioner's own challenge, then Okta's
      } finally {
        await second.close();
      }
    } catch (err) {
      await first.close().catch(() => undefined);
      throw err;
    }
  });

  it('creates nothing when the receiver does not know the secret, and says so', async () => {
    const receiver = await startChallengeReceiver('some other secret');
    try {
      const err = await registerEventHook(clientFor(emu), spec(receiver.url)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HookRegistrationError);
      expect(err).toMatchObject({
        hookState: 'unchanged',
        message: 'no event hook created: the receiver answered 401 to the secret: deploy the secret first',
      });
      expect(emu.state.listEventHooks()).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('leaves a working hook untouched when the receiver answers 401 to the new secret', async () => {
    const receiver = await startChallengeReceiver(SECRET);
    try {
      const { hook } = await registerEventHook(clientFor(emu), spec(receiver.url));
      emu.control.clearRequestLog();
      const err = await registerEventHook(
        clientFor(emu),
        spec(receiver.url, 'a-secret-not-deployed-yet'),
      ).catch((e: unknown) => e);
      expect(err).toMatchObject({
        name: 'HookRegistrationError',
        hookState: 'unchanged',
        message: `event hook ${hook.id} not changed: the receiver answered 401 to the new secret: deploy the secret first`,
      });
      expect(String((err as Error).message)).not.toContain('a-secret-not-deployed-yet');
      expect(emu.control.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
      expect(emu.state.listEventHooks()[0]).toMatchObject({
        status: 'ACTIVE',
        verificationStatus: 'VERIFIED',
      });
    } finally {
      await receiver.close();
    }
  });

  it('puts the previous configuration back and has Okta verify it when Okta cannot verify the new URL', async () => {
    const working = await startChallengeReceiver(SECRET);
    // Answers the provisioner's own challenge, then fails Okta's (as a URL only reachable from inside would).
    const unreachable = await startChallengeReceiver(SECRET, 1);
    try {
      const { hook } = await registerEventHook(clientFor(emu), spec(working.url));
      const err = await registerEventHook(clientFor(emu), spec(unreachable.url)).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'HookRegistrationError', hookState: 'restored' });
      expect((err as Error).message).toContain(`Okta could not verify ${unreachable.url}`);
      expect(emu.state.listEventHooks()).toEqual([
        expect.objectContaining({
          id: hook.id,
          status: 'ACTIVE',
          verificationStatus: 'VERIFIED',
          channel: expect.objectContaining({ config: expect.objectContaining({ uri: working.url }) }),
        }),
      ]);
    } finally {
      await working.close();
      await unreachable.close();
    }
  });

  it('refuses a non-https URL that is not loopback before calling Okta', async () => {
    emu.control.clearRequestLog();
    await expect(
      registerEventHook(clientFor(emu), spec('http://hooks.example.com/okta/event-hook')),
    ).rejects.toBeInstanceOf(EventHookSpecError);
    expect(emu.control.requestLog()).toEqual([]);
  });
});

describe('Command: hook register', () => {
  const env = (url: string) => ({ OKTA_ORG_URL: url, OKTA_API_TOKEN: emu.token, OKTA_HOOK_SECRET: SECRET });

  it('prints the verified, active hook and exits 0; --json gives one document', async () => {
    const receiver = await startChallengeReceiver(SECRET);
    try {
      const text = await captureOutput(() => hookCommand(['register', '--url', receiver.url], env(emu.url)));
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Event hook \S+ created: ACTIVE, VERIFIED\./);
      expect(text.stdout).not.toContain(SECRET);
      const json = await captureOutput(() =>
        hookCommand(['register', '--url', receiver.url, '--json'], env(emu.url)),
      );
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: true,
        action: 'updated',
        status: 'ACTIVE',
        verificationStatus: 'VERIFIED',
      });
    } finally {
      await receiver.close();
    }
  });

  it('exits 1 naming the refusal and changes nothing when the receiver does not know the new secret', async () => {
    const receiver = await startChallengeReceiver(SECRET);
    try {
      await captureOutput(() => hookCommand(['register', '--url', receiver.url], env(emu.url)));
      const refused = await captureOutput(() =>
        hookCommand(['register', '--url', receiver.url], {
          ...env(emu.url),
          OKTA_HOOK_SECRET: 'new-secret-0123456789-abcdef',
        }),
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'the receiver answered 401 to the new secret: deploy the secret first',
      );
      expect(refused.stderr).not.toContain('new-secret-0123456789-abcdef');
      const status = await captureOutput(() => hookCommand(['status', '--json'], env(emu.url)));
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        ok: true,
        status: 'ACTIVE',
        verificationStatus: 'VERIFIED',
        url: receiver.url,
        missingEventTypes: [],
      });
    } finally {
      await receiver.close();
    }
  });

  it('hook status exits 2 for a deactivated hook and 1 when there is none', async () => {
    expect((await captureOutput(() => hookCommand(['status'], env(emu.url)))).code).toBe(1);
    const receiver = await startChallengeReceiver(SECRET);
    try {
      await captureOutput(() => hookCommand(['register', '--url', receiver.url], env(emu.url)));
      await captureOutput(() => hookCommand(['deactivate'], env(emu.url)));
      const status = await captureOutput(() => hookCommand(['status'], env(emu.url)));
      expect(status.code).toBe(2);
      expect(status.stdout).toContain('INACTIVE');
      expect(status.stdout).toContain('run `hook register`');
    } finally {
      await receiver.close();
    }
  });

  it('exits 1 with usage when --url is missing', async () => {
    const { code, stderr } = await captureOutput(() => hookCommand(['register'], env(emu.url)));
    expect(code).toBe(1);
    expect(stderr).toContain('--url is required');
  });
});
