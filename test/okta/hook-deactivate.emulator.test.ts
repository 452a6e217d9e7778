import { startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { run as hookCommand } from '../../src/cli/hook';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { getEventHook, upsertEventHook } from '../../src/okta/event-hooks';
import { captureOutput, clientFor } from '../app-guard/helpers';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'empty', rateLimits: false });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.reset('empty'));

// No hook secret: deactivating needs only the Okta credentials.
const env = () => ({ OKTA_ORG_URL: emu.url, OKTA_API_TOKEN: emu.token });

describe('Command: hook deactivate', () => {
  it('deactivates the hook of that name, leaving it in Okta, and says so', async () => {
    const { hook } = await upsertEventHook(clientFor(emu), {
      name: 'Frontline provisioner',
      url: 'https://example.com/okta/event-hook',
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret: 'hook-secret-for-tests-0123456789',
    });
    expect((await getEventHook(clientFor(emu), hook.id)).status).toBe('ACTIVE');

    const result = await captureOutput(() => hookCommand(['deactivate', '--json'], env()));

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, hookId: hook.id, status: 'INACTIVE' });
    expect((await getEventHook(clientFor(emu), hook.id)).status).toBe('INACTIVE');
  });

  it('exits non-zero naming the hook when there is none of that name', async () => {
    const result = await captureOutput(() => hookCommand(['deactivate', '--name', 'Other hook'], env()));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('No event hook named "Other hook"');
  });
});
