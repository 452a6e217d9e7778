import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import { run as repairCommand } from '../../src/cli/repair';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import {
  APP_ID,
  GROUP_ID,
  captureOutput,
  clientFor,
  envFor,
  reconcileSeed,
  tempDir,
  userId,
  useEmulatorOrg,
} from '../app-guard/helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;

useEmulatorOrg({ seed: 'demo', resetEachTest: false }, (started, dir) => {
  emu = started;
  tmp = dir;
});

async function appUserName(appId: string, uid: string): Promise<string> {
  const res = await clientFor(emu).http.http(`${emu.url}/api/v1/apps/${appId}/users/${uid}`, {
    method: 'GET',
  } as never);
  return ((await res.json()) as Json).credentials.userName as string;
}

async function setTemplate(appId: string, template: string): Promise<void> {
  const client = clientFor(emu);
  const app = (await getAppRaw(client, appId)) as Json;
  app.credentials.userNameTemplate = { template, type: 'CUSTOM' };
  await replaceAppRaw(client, appId, app);
}

const omar = { userId: DEMO.users.oddUserName, userName: 'omar', expected: 'omar.oddname@example.com' };

describe('Identity drift on the demo org', () => {
  beforeEach(() => emu.control.reset('demo'));

  it('check exits 0 on the demo org and reports omar’s username as identity drift, changing nothing', async () => {
    const env = envFor(emu, join(tmp.dir, 'demo-check.json'));
    const human = await captureOutput(() => checkCommand([], env));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Identity drift: 1 assignment(s)');
    expect(human.stdout).toContain(`${omar.userId}: "omar"`);
    const doc = JSON.parse((await captureOutput(() => checkCommand(['--json'], env))).stdout);
    expect(doc.identity.drift).toEqual([omar]);
    expect(await appUserName(DEMO.appId, omar.userId)).toBe('omar');
  });

  it('reconcile keeps a drifted username unless --fix-usernames is given, then sets the template’s', async () => {
    const env = envFor(emu, join(tmp.dir, 'demo-reconcile.json'));
    const dry = await captureOutput(() => reconcileCommand(['--dry-run', '--json'], env));
    expect(JSON.parse(dry.stdout).identity.drift).toEqual([omar]);

    await captureOutput(() => reconcileCommand(['--allow-mass-removal'], env));
    expect(await appUserName(DEMO.appId, omar.userId)).toBe('omar');

    const dryFix = await captureOutput(() => reconcileCommand(['--dry-run', '--fix-usernames'], env));
    expect(dryFix.code).toBe(2);
    expect(await appUserName(DEMO.appId, omar.userId)).toBe('omar');

    const fixed = await captureOutput(() => reconcileCommand(['--fix-usernames', '--json'], env));
    expect(JSON.parse(fixed.stdout).fixedUserNames).toEqual({ fixed: [omar], failed: [] });
    expect(await appUserName(DEMO.appId, omar.userId)).toBe(omar.expected);
    const after = JSON.parse((await captureOutput(() => checkCommand(['--json'], env))).stdout);
    expect(after.identity.drift).toEqual([]);
  });
});

describe('The app’s own username template', () => {
  const env = (extra: Record<string, string> = {}) =>
    envFor(emu, join(tmp.dir, `own-${Object.keys(extra).length}.json`), {
      FRONTLINE_APP_ID: APP_ID,
      FRONTLINE_GROUP_ID: GROUP_ID,
      ...extra,
    });
  const loginPart = '${fn:substringBefore(source.login, "@")}';

  beforeEach(async () => {
    await emu.control.reset(reconcileSeed([{ assigned: true, userType: 'agent' }, { userType: 'agent' }]));
    await setTemplate(APP_ID, loginPart);
  });

  it('is kept when none is pinned: check finds no template drift and reconcile assigns with it', async () => {
    const checked = JSON.parse((await captureOutput(() => checkCommand(['--json'], env()))).stdout);
    expect(checked.findings.map((f: Json) => f.path)).not.toContain('credentials.userNameTemplate.template');
    // user0 was assigned with the email before the admin chose this template: drift, reported only.
    expect(checked.identity.drift).toEqual([
      { userId: userId(0), userName: 'user0@example.com', expected: 'user0' },
    ]);

    const plan = JSON.parse(
      (await captureOutput(() => reconcileCommand(['--dry-run', '--json'], env()))).stdout,
    );
    // No template is pinned: the plan names no username, and Okta gives the assignment the app's template's.
    expect(plan.plan.assign).toEqual([{ userId: userId(1) }]);
    expect((await captureOutput(() => reconcileCommand([], env()))).code).toBe(0);
    expect(await appUserName(APP_ID, userId(1))).toBe('user1');
    expect((await getAppRaw(clientFor(emu), APP_ID)).credentials).toMatchObject({
      userNameTemplate: { template: loginPart },
    });
  });

  it('stops reconcile with what to do when the app’s template is Okta EL the tool cannot evaluate', async () => {
    await setTemplate(APP_ID, '${user.getInternalProperty("id")}');
    const { code, stderr } = await captureOutput(() => reconcileCommand(['--dry-run'], env()));
    expect(code).toBe(1);
    expect(stderr).toContain('set FRONTLINE_USERNAME_TEMPLATE to an equivalent supported expression');
  });

  it('is a finding when FRONTLINE_USERNAME_TEMPLATE pins another, repaired only with --username-template', async () => {
    const pinned = env({ FRONTLINE_USERNAME_TEMPLATE: '${source.email}' });
    const checked = await captureOutput(() => checkCommand(['--json'], pinned));
    expect(checked.code).toBe(2);
    expect(JSON.parse(checked.stdout).findings).toEqual([
      expect.objectContaining({ path: 'credentials.userNameTemplate.template', actual: loginPart }),
    ]);

    const held = await captureOutput(() => repairCommand([], pinned));
    expect(held.code).toBe(2);
    expect(held.stdout).toContain('repair --username-template');
    const kept = (await getAppRaw(clientFor(emu), APP_ID)) as Json;
    expect(kept.credentials.userNameTemplate.template).toBe(loginPart);

    expect((await captureOutput(() => repairCommand(['--username-template'], pinned))).code).toBe(0);
    const changed = (await getAppRaw(clientFor(emu), APP_ID)) as Json;
    expect(changed.credentials.userNameTemplate).toEqual({ template: '${source.email}', type: 'BUILT_IN' });
  });
});
