import { join } from 'node:path';
import { DEMO, type RunningEmulator } from '../../emulator/okta';
import { checkApp } from '../../src/app-guard/check';
import { repairApp } from '../../src/app-guard/repair';
import type { ExplainDocument } from '../../src/cli/documents';
import { run as checkCommand } from '../../src/cli/check';
import { run as explainCommand } from '../../src/cli/explain';
import { run as repairCommand } from '../../src/cli/repair';
import { desiredAppConfig } from '../../src/domain/app-config';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { jsonOf } from '../cli/helpers';
import { adminCall, captureOutput, clientFor, envFor, tempDir, useEmulatorOrg } from './helpers';

/*
 * check, repair and explain on the Okta emulator read the app's federated claims beside the app object: a wrong
 * claim is fixed where it lives, a duplicate across the stores goes only with `--remove-duplicate-claims`, the CASB
 * overrides are cleared, and the constant roles = "agent" is left alone.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rules = desiredAppConfig(DEMO.realmSid);
const CLAIMS = `/api/v1/apps/${DEMO.appId}/federated-claims`;
const CASB = 'https://casb.example.net/saml';

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

const guard = () => createGuardDirectory(clientFor(emu));
const check = () =>
  checkApp(guard(), { appId: DEMO.appId, rules, lastConfirmedFingerprint: undefined, now: new Date() });
const paths = (findings: readonly { path: string }[]) => findings.map((f) => f.path);
const addClaim = async (name: string, expression: string) =>
  String((await adminCall(emu, 'POST', CLAIMS, { name, expression }))?.id);
const claims = async () =>
  (await (
    await fetch(`${emu.url}${CLAIMS}`, { headers: { authorization: `SSWS ${emu.token}` } })
  ).json()) as Json[];
async function editApp(mutate: (app: Json) => void): Promise<void> {
  const app = (await getAppRaw(clientFor(emu), DEMO.appId)) as Json;
  mutate(app);
  await replaceAppRaw(clientFor(emu), DEMO.appId, app);
}
const withoutStatement = (name: string) =>
  editApp(
    (app) =>
      (app.settings.signOn.attributeStatements = app.settings.signOn.attributeStatements.filter(
        (s: Json) => s.name !== name,
      )),
  );
const writes = () =>
  emu.control
    .requestLog()
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);
const env = () => envFor(emu, join(tmp.dir, `state-${Math.random()}.json`));

describe('Function: checkApp and repairApp with federated claims', () => {
  it('reads the claims in the apps bucket and finds nothing when they supply email and roles', async () => {
    await withoutStatement('email');
    await withoutStatement('roles');
    await addClaim('email', 'user.profile.email');
    await addClaim('roles', '"agent"');
    emu.control.clearRequestLog();

    const result = await check();
    expect(paths(result.findings)).toEqual([]);
    expect(result.claims.map((c) => c.name)).toEqual(['email', 'roles']);
    expect(
      emu.control
        .requestLog()
        .filter((r) => r.path === CLAIMS)
        .map((r) => r.bucket),
    ).toEqual(['apps']);
  });

  it('fixes a wrong claim with a PUT of the claim, never of the app, and verifies it', async () => {
    await withoutStatement('roles');
    const id = await addClaim('roles', 'user.profile.title');
    expect(paths((await check()).findings)).toEqual(['federatedClaims[roles]']);
    emu.control.clearRequestLog();

    const result = await repairApp(guard(), { appId: DEMO.appId, rules });
    expect(result).toMatchObject({ ok: true, changed: true, after: [], notKept: [] });
    expect(writes()).toEqual([`PUT ${CLAIMS}/${id}`]);
    expect(await claims()).toEqual([
      expect.objectContaining({ id, name: 'roles', expression: 'user.profile.userType' }),
    ]);
  });

  it('holds a duplicate without the flag and removes the claim with it, keeping the legacy statement', async () => {
    const id = await addClaim('roles', '"agent"');
    const held = await repairApp(guard(), { appId: DEMO.appId, rules });
    expect(held).toMatchObject({ ok: false, changed: false, before: [], notKept: [] });
    expect(paths(held.after)).toEqual(['duplicateClaims[roles]']);
    expect(await claims()).toHaveLength(1);

    emu.control.clearRequestLog();
    const removed = await repairApp(guard(), { appId: DEMO.appId, rules, removeDuplicateClaims: true });
    expect(removed).toMatchObject({ ok: true, changed: true, after: [] });
    expect(writes()).toEqual([`DELETE ${CLAIMS}/${id}`]);
    expect(await claims()).toEqual([]);
    const app = (await getAppRaw(clientFor(emu), DEMO.appId)) as Json;
    expect(app.settings.signOn.attributeStatements.map((s: Json) => s.name)).toEqual(['email', 'roles']);
  });

  it('clears the CASB overrides with one PUT of the app, and keeps Frontline’s own values', async () => {
    await editApp((app) =>
      Object.assign(app.settings.signOn, {
        ssoAcsUrlOverride: `${CASB}/acs`,
        recipientOverride: rules.acsUrl,
        destinationOverride: `${CASB}/acs`,
        audienceOverride: `${CASB}/metadata`,
      }),
    );
    expect(paths((await check()).findings)).toEqual([
      'settings.signOn.ssoAcsUrlOverride',
      'settings.signOn.destinationOverride',
      'settings.signOn.audienceOverride',
    ]);
    emu.control.clearRequestLog();
    const result = await repairApp(guard(), { appId: DEMO.appId, rules });
    expect(result.ok).toBe(true);
    expect(writes()).toEqual([`PUT /api/v1/apps/${DEMO.appId}`]);
    const signOn = ((await getAppRaw(clientFor(emu), DEMO.appId)) as Json).settings.signOn;
    expect(signOn).toMatchObject({
      ssoAcsUrlOverride: null,
      recipientOverride: rules.acsUrl,
      destinationOverride: null,
      audienceOverride: null,
    });
  });

  it('leaves roles = "agent" alone in either store: no finding, no write', async () => {
    await editApp((app) => (app.settings.signOn.attributeStatements[1].values = ['"agent"']));
    expect(paths((await check()).findings)).toEqual([]);
    emu.control.clearRequestLog();
    expect(await repairApp(guard(), { appId: DEMO.appId, rules })).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(writes()).toEqual([]);
  });
});

describe('Command: check, repair and explain with federated claims', () => {
  it('check names the duplicate and the flag; repair says it held it, then with the flag which one it kept', async () => {
    const e = env();
    const id = await addClaim('roles', '"supervisor"');

    const checked = await captureOutput(() => checkCommand([], e));
    expect(checked.code).toBe(2);
    expect(checked.stdout).toContain('federatedClaims[roles]');
    expect(checked.stdout).toContain('duplicateClaims[roles]');
    expect(checked.stdout).toMatch(/Okta does not document which one it sends/);
    expect(checked.stdout).toContain('`repair --remove-duplicate-claims`');

    const repaired = await captureOutput(() => repairCommand([], e));
    expect(repaired.code).toBe(2);
    expect(repaired.stdout).toContain(
      `Federated claim "roles" (${id}): "supervisor" → user.profile.userType.`,
    );
    expect(repaired.stdout).toMatch(/Left as is until asked\./);

    const removed = await captureOutput(() => repairCommand(['--remove-duplicate-claims'], e));
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(
      `Removed the duplicate federated claim(s) ${id}; kept the legacy attribute statement "roles".`,
    );
    expect(removed.stdout).toContain('Verified: the app now passes every rule.');
  });

  it('explain shows what each claim sends and why the sign-in would fail', async () => {
    const id = await addClaim('roles', 'user.profile.department');
    const { doc } = await jsonOf<ExplainDocument>(() => explainCommand([DEMO.users.agent, '--json'], env()));
    expect(doc.frontline.attributes).toContainEqual({ name: 'roles', value: 'Customer Care', claimId: id });
    expect(doc.frontline.fails).toEqual([expect.stringMatching(/"roles" is "Customer Care"/)]);
    const { stdout } = await captureOutput(() => explainCommand([DEMO.users.agent], env()));
    expect(stdout).toContain(`roles = "Customer Care" (federated claim ${id})`);
  });
});
