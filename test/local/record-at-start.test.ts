import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { InMemoryIdentityStore } from '../../src/domain/identity-record';
import { recordIdentitiesAtStart } from '../../src/local/record-at-start';
import { createOktaClient } from '../../src/okta/client';
import type { FrontlineUsers } from '../../src/twilio/users';

describe('Function: recordIdentitiesAtStart', () => {
  let okta: RunningEmulator;
  const users: FrontlineUsers = { get: async () => undefined, update: async () => undefined };
  const logs: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const logger = {
    info: (message: string, extra: Record<string, unknown>) => logs.push({ level: 'info', message, extra }),
    warn: (message: string, extra: Record<string, unknown>) => logs.push({ level: 'warn', message, extra }),
  };
  beforeAll(async () => {
    okta = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  });
  afterAll(() => okta.stop());
  beforeEach(async () => {
    await okta.control.reset();
    logs.length = 0;
  });
  const client = () =>
    createOktaClient({ orgUrl: okta.url, credentials: { kind: 'ssws', token: okta.token } });

  it('records every app user and says how many, how many pages and how long', async () => {
    const identities = new InMemoryIdentityStore();

    const result = await recordIdentitiesAtStart(
      client(),
      DEMO.appId,
      { users: async () => users, identities },
      logger,
    );

    const listed = okta.state.listAppUsers(DEMO.appId).length;
    expect(result).toEqual({ listed, recorded: listed, pages: 1 });
    expect(logs).toEqual([
      {
        level: 'info',
        message: 'Frontline identities recorded from the app users listing',
        extra: { listed, recorded: listed, pages: 1, durationMs: expect.any(Number) },
      },
    ]);
  });

  it('logs a failure and leaves the rest to the backstop instead of throwing (serve keeps starting)', async () => {
    okta.control.setFaults({ readErrorRate: 1 });
    const identities = new InMemoryIdentityStore();

    const result = await recordIdentitiesAtStart(
      client(),
      DEMO.appId,
      { users: async () => users, identities },
      logger,
    );

    okta.control.setFaults({ readErrorRate: 0 });
    expect(result).toBeUndefined();
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        extra: { error: expect.stringMatching(/^OktaTransientError/) },
      }),
    ]);
    expect(JSON.stringify(logs)).not.toContain(okta.token);
    expect(await identities.listAll()).toEqual([]);
  });
});
