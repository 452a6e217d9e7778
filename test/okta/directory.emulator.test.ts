import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { createOktaDirectory, type OktaDirectory } from '../../src/okta/directory';

let emu: RunningEmulator;
let directory: OktaDirectory;
beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  directory = createOktaDirectory(
    createOktaClient({ orgUrl: emu.url, credentials: { kind: 'ssws', token: emu.token } }),
  );
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.reset('demo'));

describe('Function: createOktaDirectory (against the Okta emulator)', () => {
  it('answers an assignment with the username Okta gave it, the one its app user then holds', async () => {
    const given = await directory.assignUser(DEMO.appId, DEMO.users.newHire);
    expect(given).toBeDefined();
    expect(given).toBe(await directory.getAppUserName(DEMO.appId, DEMO.users.newHire));
  });

  it('reads the app’s own username template, in the apps-item bucket', async () => {
    emu.control.clearRequestLog();
    const template = await directory.getAppUserNameTemplate(DEMO.appId);
    const app = emu.state.getApp(DEMO.appId) as {
      credentials?: { userNameTemplate?: { template?: string } };
    };
    expect(template).toBe(app.credentials?.userNameTemplate?.template ?? '${source.login}');
    expect(emu.control.requestLog().map((e) => e.bucket)).toEqual(['apps-item']);
  });
});
