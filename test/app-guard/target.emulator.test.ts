import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { run as repairCommand } from '../../src/cli/repair';
import { run as setupCommand } from '../../src/cli/setup';
import { run as reconcileCommand } from '../../src/cli/reconcile';
import { run as checkCommand } from '../../src/cli/check';
import { desiredAppConfig } from '../../src/domain/app-config';
import { identifyApp } from '../../src/domain/app-target';
import { newAppJson } from '../../src/domain/new-app';
import { resolvePolicy } from '../../src/domain/policy';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { runScheduled } from '../../src/reconcile/scheduled';
import { adminCall, captureOutput, clientFor, envFor, tempDir, useEmulatorOrg } from './helpers';

/*
 * Know the target before writing to it (issue 20): an app that is not Frontline's is refused by `repair`, `setup`,
 * the reconcile and the scheduled repair, with its label and what it points at; `--adopt` is the explicit way in.
 */
let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

const rules = desiredAppConfig(DEMO.realmSid);
const writes = () => emu.control.requestLog().filter((r) => r.method !== 'GET');

/** A working SAML app for another service: what a mistyped FRONTLINE_APP_ID or label points at. */
async function salesforceApp(): Promise<string> {
  const body = newAppJson(DEMO.realmSid, { label: 'Salesforce' }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  body.settings.notes = { admin: null, enduser: null };
  Object.assign(body.settings.signOn, {
    ssoAcsUrl: 'https://acme.my.salesforce.com/?so=00D000000000001',
    recipient: 'https://acme.my.salesforce.com/?so=00D000000000001',
    destination: 'https://acme.my.salesforce.com/?so=00D000000000001',
    audience: 'https://saml.salesforce.com',
  });
  const created = await adminCall(emu, 'POST', '/api/v1/apps?activate=true', body);
  return String(created?.id);
}

const signOnOf = (appId: string) =>
  (emu.state.raw.apps.get(appId)?.json.settings as { signOn: Record<string, unknown> }).signOn;

describe('Command: repair, on an app that is not Frontline’s', () => {
  it('refuses a Salesforce app named by FRONTLINE_APP_ID and writes nothing (exit 1, naming it)', async () => {
    const appId = await salesforceApp();
    emu.control.clearRequestLog();
    const env = envFor(emu, join(tmp.dir, 'repair.json'), { FRONTLINE_APP_ID: appId });

    const { code, stderr, stdout } = await captureOutput(() => repairCommand([], env));

    expect(code).toBe(1);
    expect(`${stdout}${stderr}`).toMatch(/"Salesforce" is not Frontline's/);
    expect(`${stdout}${stderr}`).toMatch(/--adopt/);
    expect(writes()).toEqual([]);
    expect(signOnOf(appId).ssoAcsUrl).toBe('https://acme.my.salesforce.com/?so=00D000000000001');
  });

  it('takes it over with --adopt, and marks it as this tool’s so later runs accept it', async () => {
    const appId = await salesforceApp();
    const env = envFor(emu, join(tmp.dir, 'adopt.json'), { FRONTLINE_APP_ID: appId });

    const { code } = await captureOutput(() => repairCommand(['--adopt'], env));

    expect(code).toBe(0);
    expect(signOnOf(appId).ssoAcsUrl).toBe(rules.acsUrl);
    const app = (await adminCall(emu, 'GET', `/api/v1/apps/${appId}`)) as unknown as Record<string, unknown>;
    expect(identifyApp(app, rules)).toEqual({ frontline: true, why: 'created-by-product' });
  });
});

describe('Command: setup, with an existing app', () => {
  it('never adopts by label alone: FRONTLINE_APP_LABEL=Salesforce is refused, nothing written', async () => {
    const appId = await salesforceApp();
    emu.control.clearRequestLog();
    const env = envFor(emu, join(tmp.dir, 'setup.json'), {
      FRONTLINE_APP_ID: '',
      FRONTLINE_APP_LABEL: 'Salesforce',
    });

    const { code, stdout, stderr } = await captureOutput(() => setupCommand([], env));

    expect(code).toBe(1);
    expect(`${stdout}${stderr}`).toMatch(/is not Frontline's/);
    expect(writes()).toEqual([]);
    expect(signOnOf(appId).audience).toBe('https://saml.salesforce.com');
  });

  it('takes the app with the label when it points at this realm (the demo app), as before', async () => {
    const env = envFor(emu, join(tmp.dir, 'setup-own.json'), { FRONTLINE_APP_ID: '' });

    const { code, stdout } = await captureOutput(() => setupCommand([], env));

    expect(code).toBe(0);
    expect(stdout).toContain(`Adopted app ${DEMO.appId}`);
  });

  it('marks an app it creates, which stays Frontline’s whatever its addresses become', async () => {
    const env = envFor(emu, join(tmp.dir, 'setup-new.json'), {
      FRONTLINE_APP_ID: '',
      FRONTLINE_APP_LABEL: 'Frontline (new)',
    });
    const { code, stdout } = await captureOutput(() => setupCommand(['--json'], env));
    expect(code).toBe(0);
    const appId = String((JSON.parse(stdout) as { appId: string }).appId);
    Object.assign(signOnOf(appId), { ssoAcsUrl: 'https://elsewhere.example', audience: 'x', recipient: 'x' });
    Object.assign(signOnOf(appId), { destination: 'x' });

    const repaired = await captureOutput(() =>
      repairCommand([], envFor(emu, join(tmp.dir, 'setup-new.json'), { FRONTLINE_APP_ID: appId })),
    );

    expect(repaired.code).toBe(0);
    expect(signOnOf(appId).ssoAcsUrl).toBe(rules.acsUrl);
  });
});

describe('The reconcile, on an app that is not Frontline’s', () => {
  it('refuses a bookmark app as FRONTLINE_APP_ID: nobody is assigned (exit 1)', async () => {
    emu.control.clearRequestLog();
    const env = envFor(emu, join(tmp.dir, 'bookmark.json'), { FRONTLINE_APP_ID: DEMO.otherAppId });

    const { code, stdout, stderr } = await captureOutput(() => reconcileCommand([], env));

    expect(code).toBe(1);
    expect(`${stdout}${stderr}`).toMatch(/"Intranet" is not Frontline's/);
    expect(writes()).toEqual([]);
  });

  it('the scheduled run in repair mode reports a foreign app and repairs nothing', async () => {
    const appId = await salesforceApp();
    emu.control.clearRequestLog();
    const run = runScheduled(
      {
        okta: createGuardDirectory(clientFor(emu)),
        queue: { enqueue: async () => undefined },
        metrics: { addMetric: () => undefined },
      },
      {
        appId,
        policy: resolvePolicy({ groupIds: [DEMO.groupId] }),
        app: { rules, mode: 'repair', lastConfirmedFingerprint: undefined },
      },
    );

    // The app check reports it (and repairs nothing), then the reconcile refuses it.
    await expect(run).rejects.toThrow(/"Salesforce" is not Frontline's/);
    expect(writes()).toEqual([]);
    const checked = await captureOutput(() =>
      checkCommand(['--json'], envFor(emu, join(tmp.dir, 'check.json'), { FRONTLINE_APP_ID: appId })),
    );
    expect((JSON.parse(checked.stdout) as { findings: { path: string }[] }).findings[0]?.path).toBe('target');
  });
});
