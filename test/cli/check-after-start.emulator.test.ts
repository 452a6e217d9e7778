import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { createOktaClient } from '../../src/okta/client';
import { registerEventHook } from '../../src/okta/event-hooks';
import type { ConvergenceOutcome } from '../../src/worker/converge';
import { captureOutput, tempDir } from '../app-guard/helpers';

/**
 * What `npm start` sets up (bin/start.ts): the demo org, the local receiver and worker, the registered hook, and
 * the walkthrough's onboarding. Then the command it prints for "the app guard against this org" must exit 0.
 */
describe('Command: check after npm start', () => {
  let emu: RunningEmulator;
  let runtime: LocalRuntime;
  let tmp: ReturnType<typeof tempDir>;
  const outcomes = new Map<string, (o: ConvergenceOutcome) => void>();

  beforeAll(async () => {
    tmp = tempDir();
    emu = await startOktaEmulator({ seed: 'demo' });
    const settings = settingsForOrg(
      emu,
      { groupId: DEMO.groupId, appId: DEMO.appId, realmSid: DEMO.realmSid },
      { port: 0 },
    );
    runtime = await startLocalRuntime({
      settings,
      logger: new Logger({ serviceName: 'check-after-start', logLevel: 'SILENT' }),
      onOutcome: (o) => outcomes.get(o.userId)?.(o),
    });
    const client = createOktaClient({ orgUrl: emu.url, credentials: settings.credentials });
    await registerEventHook(client, {
      name: 'Frontline provisioner',
      url: runtime.hookUrl,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: settings.hookAuthHeader,
      secret: settings.hookSecret,
    });
    const onboarded = new Promise<ConvergenceOutcome>((resolve) => outcomes.set(DEMO.users.newHire, resolve));
    await client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire });
    await onboarded;
  }, 30_000);
  afterAll(async () => {
    await runtime.stop();
    await emu.stop();
    tmp.cleanup();
  });

  it('exits 0 on a first run, creating no database to record the certificate in, and 0 again after', async () => {
    // The variables bin/start.ts prints, plus a state file of the test's own.
    const env = {
      OKTA_ORG_URL: emu.url,
      OKTA_API_TOKEN: emu.token,
      FRONTLINE_GROUP_ID: DEMO.groupId,
      FRONTLINE_APP_ID: DEMO.appId,
      FRONTLINE_REALM_SID: DEMO.realmSid,
      FRONTLINE_STATE_FILE: join(tmp.dir, 'state.json'),
      // The confirmed certificates live in the local database: the test's own, never a `.frontline` left in the
      // working directory by an earlier run (whose emulator signed with another hour's certificate).
      FRONTLINE_DATA_DIR: join(tmp.dir, 'data'),
    };
    const first = await captureOutput(() => checkCommand([], env));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // A read-only command creates no state: it says how to record the certificate instead.
    expect(first.stdout).toContain('No certificate on record');
    expect(existsSync(env.FRONTLINE_DATA_DIR)).toBe(false);
    expect((await captureOutput(() => checkCommand([], env))).code).toBe(0);
  });
});
