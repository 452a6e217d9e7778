import { existsSync, writeFileSync } from 'node:fs';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { run as checkCommand } from '../../src/cli/check';
import { run as repairCommand } from '../../src/cli/repair';
import { run as setupCommand } from '../../src/cli/setup';
import { checkAppConfig, DEFAULT_IDP_ISSUER, desiredAppConfig } from '../../src/domain/app-config';
import { activeKid } from '../../src/domain/signing-certificate';
import { checkApp } from '../../src/app-guard/check';
import { repairApp } from '../../src/app-guard/repair';
import { setupApp } from '../../src/app-guard/setup';
import { fileFingerprintStore, staticFingerprintStore } from '../../src/app-guard/fingerprint-store';
import { sqliteFingerprintStore } from '../../src/sqlite/fingerprint-store';
import { openLocalDatabase } from '../../src/sqlite/database';
import { getAppRaw, replaceAppRaw } from '../../src/okta/apps';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { getMetadataXml, parseIdpMetadata } from '../../src/okta/saml-metadata';
import { OktaPermanentError } from '../../src/okta/errors';
import { captureOutput, clientFor, envFor, tempDir, useEmulatorOrg } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rules = desiredAppConfig(DEMO.realmSid);

let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;

useEmulatorOrg({ seed: 'demo', resetEachTest: true }, (started, dir) => {
  emu = started;
  tmp = dir;
});

/** Puts drift into the emulator's app through the API, as an admin editing the app would. */
async function drift(mutate: (app: Json) => void): Promise<void> {
  const client = clientFor(emu);
  const app = (await getAppRaw(client, DEMO.appId)) as Json;
  mutate(app);
  await replaceAppRaw(client, DEMO.appId, app);
}

/** An admin's unrelated choices, which every repair must leave as they are. */
function adminExtras(app: Json): void {
  app.settings.app = { customSetting: 'kept' };
  app.settings.signOn.samlSignedRequestEnabled = true;
  app.settings.notes = { admin: 'do not touch', enduser: null };
  app.visibility.hide = { iOS: true, web: false };
  app.settings.signOn.attributeStatements.push({
    type: 'EXPRESSION',
    name: 'department',
    namespace: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
    values: ['user.department'],
  });
}

function expectExtrasKept(app: Json): void {
  expect(app.settings.app).toEqual({ customSetting: 'kept' });
  expect(app.settings.signOn.samlSignedRequestEnabled).toBe(true);
  expect(app.settings.notes).toEqual({ admin: 'do not touch', enduser: null });
  expect(app.visibility.hide).toEqual({ iOS: true, web: false });
  // A missing statement is appended, so only membership (not order) is fixed here.
  expect(app.settings.signOn.attributeStatements.map((s: Json) => s.name).sort()).toEqual([
    'department',
    'email',
    'roles',
  ]);
  expect(app.settings.signOn.attributeStatements.find((s: Json) => s.name === 'department').values).toEqual([
    'user.department',
  ]);
}

const driftKinds: [string, (app: Json) => void][] = [
  ['ACS URL', (a) => (a.settings.signOn.ssoAcsUrl = 'https://iam.twilio.com/v2/saml2/authenticate/JBother')],
  ['recipient', (a) => (a.settings.signOn.recipient = 'https://wrong.example/acs')],
  ['destination', (a) => (a.settings.signOn.destination = 'https://wrong.example/acs')],
  ['audience', (a) => (a.settings.signOn.audience = 'urn:wrong')],
  ['response signing', (a) => (a.settings.signOn.responseSigned = false)],
  ['assertion signing', (a) => (a.settings.signOn.assertionSigned = false)],
  [
    'assertion encryption',
    (a) => (a.settings.signOn.assertionEncryption = { enabled: true, encryptionAlgorithm: 'AES256_CBC' }),
  ],
  ['default RelayState', (a) => (a.settings.signOn.defaultRelayState = 'https://start.example')],
  ['email statement', (a) => (a.settings.signOn.attributeStatements[0].values = ['user.login'])],
  ['roles statement', (a) => a.settings.signOn.attributeStatements.splice(1, 1)],
  ['Name ID template', (a) => (a.settings.signOn.subjectNameIdTemplate = '${user.email}')],
  ['label', (a) => (a.label = 'Frontline (old)')],
];

describe('Function: checkApp and repairApp against the emulator', () => {
  it('finds the demo app valid and reports its certificate', async () => {
    const result = await checkApp(createGuardDirectory(clientFor(emu)), {
      appId: DEMO.appId,
      rules,
      lastConfirmedFingerprint: undefined,
      now: new Date(),
    });
    expect(result.findings).toEqual([]);
    expect(result.certificate?.kid).toBe(DEMO.signingKid);
    expect(result.certificate?.daysToExpiry).toBeGreaterThan(30);
  });

  it.each(driftKinds)('finds drift in the %s, repairs only it, and verifies', async (_kind, mutate) => {
    await drift((app) => {
      adminExtras(app);
      mutate(app);
    });
    const client = clientFor(emu);
    const before = await checkApp(createGuardDirectory(client), {
      appId: DEMO.appId,
      rules,
      lastConfirmedFingerprint: undefined,
      now: new Date(),
    });
    expect(before.findings).toHaveLength(1);

    const result = await repairApp(createGuardDirectory(client), { appId: DEMO.appId, rules });
    expect(result).toMatchObject({ ok: true, changed: true, notKept: [], after: [] });
    expect(result.before.map((f) => f.path)).toEqual(before.findings.map((f) => f.path));

    const after = (await getAppRaw(client, DEMO.appId)) as Json;
    expect(checkAppConfig(after, rules)).toEqual([]);
    expectExtrasKept(after);
    expect(after.credentials.signing.kid).toBe(DEMO.signingKid);
  });

  it('activates an inactive app through its lifecycle endpoint', async () => {
    const client = clientFor(emu);
    await client.http.http(`${emu.url}/api/v1/apps/${DEMO.appId}/lifecycle/deactivate`, {
      method: 'POST',
    } as never);
    const result = await repairApp(createGuardDirectory(client), { appId: DEMO.appId, rules });
    expect(result).toMatchObject({ ok: true, activated: true });
    expect((await getAppRaw(client, DEMO.appId)).status).toBe('ACTIVE');
  });

  it('repair (CLI) in group mode activates a deactivated app and assigns the group again, so its members hold the app again', async () => {
    const client = clientFor(emu);
    const call = (method: string, path: string) =>
      client.http.http(`${emu.url}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
      } as never);
    await call('PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`);
    const holders = () =>
      emu.state
        .listAppUsers(DEMO.appId)
        .map((u) => u.id)
        .sort();
    const before = holders();
    await call('POST', `/api/v1/apps/${DEMO.appId}/lifecycle/deactivate`);
    expect(holders().length).toBeLessThan(before.length);

    const env = { ...envFor(emu, join(tmp.dir, 'repair-group.json')), FRONTLINE_ASSIGNMENT_MODE: 'group' };
    const { code, stdout } = await captureOutput(() => repairCommand(['--json'], env));

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ activated: true, groupsAssignedAgain: [DEMO.groupId] });
    expect(holders()).toEqual(before);
  });

  it('reports a value Okta did not keep instead of claiming success', async () => {
    // An org that rewrites the audience on every save (as a policy or an OIN template could): simulated by a
    // client whose PUTs are answered by a second, deliberate drift.
    const client = clientFor(emu);
    await drift((a) => (a.settings.signOn.audience = 'urn:wrong'));
    const http = client.http.http.bind(client.http);
    client.http.http = (async (url: string, init: Json) => {
      if (init?.method === 'PUT') {
        const body = JSON.parse(init.body);
        body.settings.signOn.audience = 'urn:rewritten-by-okta';
        return http(url, { ...init, body: JSON.stringify(body) } as never);
      }
      return http(url, init as never);
    }) as typeof client.http.http;
    const result = await repairApp(createGuardDirectory(client), { appId: DEMO.appId, rules });
    expect(result.ok).toBe(false);
    expect(result.notKept).toEqual([
      expect.objectContaining({ path: 'settings.signOn.audience', actual: 'urn:rewritten-by-okta' }),
    ]);
  });

  it('fails with a not-found OktaError for an app id that does not exist', async () => {
    await expect(
      repairApp(createGuardDirectory(clientFor(emu)), { appId: '0oanope', rules }),
    ).rejects.toBeInstanceOf(OktaPermanentError);
  });
});

/** The fingerprint the CLI recorded in the local database that envFor(…, stateFile) points it at. */
async function confirmedIn(stateFile: string, appId: string): Promise<string | undefined> {
  const db = openLocalDatabase(`${stateFile}.data`);
  try {
    return await sqliteFingerprintStore(db).get(appId);
  } finally {
    db.close();
  }
}

describe('Command: check and repair', () => {
  it('imports an existing state file once, so a certificate confirmed there stays confirmed', async () => {
    const stateFile = join(tmp.dir, 'legacy.json');
    const first = await captureOutput(() =>
      checkCommand(['--confirm-certificate', '--json'], envFor(emu, join(tmp.dir, 'probe.json'))),
    );
    const fingerprint = (JSON.parse(first.stdout) as { certificate: { fingerprintSha256: string } })
      .certificate.fingerprintSha256;
    writeFileSync(
      stateFile,
      JSON.stringify({
        version: 1,
        certificates: { [DEMO.appId]: { fingerprintSha256: fingerprint, confirmedAt: 'x' } },
      }),
    );
    openLocalDatabase(`${stateFile}.data`).close(); // the import happens when check opens serve's database
    const { code } = await captureOutput(() => checkCommand([], envFor(emu, stateFile)));
    expect(code).toBe(0);
    expect(await confirmedIn(stateFile, DEMO.appId)).toBe(fingerprint);
  });

  it('confirms the certificate into a deployed stack’s records table with --records-table', async () => {
    const ddb = mockClient(DynamoDBClient);
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).resolves({});
    // `check` also counts the identities on record there (a Scan of the identity items).
    ddb.on(ScanCommand).resolves({ Items: [] });
    try {
      const stateFile = join(tmp.dir, 'remote.json');
      const { code } = await captureOutput(() =>
        checkCommand(
          ['--confirm-certificate', '--records-table', 'Stack-RecordsTable-X'],
          envFor(emu, stateFile),
        ),
      );
      expect(code).toBe(0);
      expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
        TableName: 'Stack-RecordsTable-X',
        Item: expect.objectContaining({ pk: { S: `certificate#${DEMO.appId}` } }),
      });
      expect(await confirmedIn(stateFile, DEMO.appId)).toBeUndefined();
    } finally {
      ddb.restore();
    }
  });

  it('records the certificate as the baseline on a valid app with none on record, and exits 0', async () => {
    const stateFile = join(tmp.dir, 'baseline.json');
    openLocalDatabase(`${stateFile}.data`).close(); // check records only where records are kept already
    const first = await captureOutput(() => checkCommand([], envFor(emu, stateFile)));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('No certificate on record: recorded this one as the baseline');
    expect(first.stdout).toContain('Valid: no findings.');
    expect(await confirmedIn(stateFile, DEMO.appId)).toMatch(/^[0-9A-F:]{95}$/);
    expect(existsSync(stateFile)).toBe(false);

    const again = await captureOutput(() => checkCommand(['--json'], envFor(emu, stateFile)));
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.stdout);
    expect(doc).toMatchObject({ ok: true, findings: [] });
    expect(doc.baseline).toBeUndefined(); // the record was used, not rewritten
  });

  it('exits 2 with a table of findings on drift, then repair fixes it and check exits 0', async () => {
    const env = envFor(emu, join(tmp.dir, 'drift.json'));
    await captureOutput(() => checkCommand(['--confirm-certificate'], env));
    await drift((a) => {
      a.settings.signOn.responseSigned = false;
      a.settings.signOn.audience = 'urn:wrong';
    });
    const checked = await captureOutput(() => checkCommand([], env));
    expect(checked.code).toBe(2);
    expect(checked.stdout).toMatch(/breaks-sso\s+settings\.signOn\.audience/);
    expect(checked.stdout).toMatch(/breaks-sso\s+settings\.signOn\.responseSigned\s+true\s+false/);

    const repaired = await captureOutput(() => repairCommand([], env));
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain('settings.signOn.audience');
    expect(repaired.stdout).toContain('Verified');

    expect((await captureOutput(() => checkCommand([], env))).code).toBe(0);
  });

  it('prints one JSON document under --json', async () => {
    const env = envFor(emu, join(tmp.dir, 'json.json'));
    await captureOutput(() => checkCommand(['--confirm-certificate'], env));
    await drift((a) => (a.label = 'Old label'));
    const { code, stdout } = await captureOutput(() => checkCommand(['--json'], env));
    expect(code).toBe(2);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({
      ok: false,
      appId: DEMO.appId,
      findings: [{ path: 'label', severity: 'cosmetic' }],
    });
  });

  it('reports a certificate that changed since it was confirmed, until it is confirmed again', async () => {
    const stateFile = join(tmp.dir, 'changed.json');
    const env = envFor(emu, stateFile);
    await captureOutput(() => checkCommand(['--confirm-certificate'], env)); // baseline
    const client = clientFor(emu);
    // Rotate the key the way an admin would in Okta: a new key, then point the app at it.
    const res = await client.http.http(
      `${emu.url}/api/v1/apps/${DEMO.appId}/credentials/keys/generate?validityYears=2`,
      { method: 'POST' } as never,
    );
    const { kid } = (await res.json()) as { kid: string };
    await drift((a) => (a.credentials.signing.kid = kid));

    const changed = await captureOutput(() => checkCommand(['--json'], env));
    expect(changed.code).toBe(2);
    expect(JSON.parse(changed.stdout).findings).toEqual([
      expect.objectContaining({ path: 'credentials.signing.kid', severity: 'breaks-sso', repairable: false }),
    ]);
    const human = await captureOutput(() => checkCommand([], env));
    expect(human.code).toBe(2);
    expect(human.stdout).toContain('-----BEGIN CERTIFICATE-----');
    expect(human.stdout).toContain('check --confirm-certificate');
    expect((await captureOutput(() => checkCommand(['--confirm-certificate'], env))).code).toBe(0);
    expect((await captureOutput(() => checkCommand([], env))).code).toBe(0);
  });

  it('exits 1 naming the missing variable when FRONTLINE_REALM_SID is not set', async () => {
    const env = envFor(emu, join(tmp.dir, 'x.json'));
    delete env.FRONTLINE_REALM_SID;
    const { code, stderr } = await captureOutput(() => checkCommand([], env));
    expect(code).toBe(1);
    expect(stderr).toContain('FRONTLINE_REALM_SID');
  });
});

describe('Function: setupApp', () => {
  it('records the app’s raw IdP issuer with the certificate, the value the printed issuer renders from', async () => {
    const empty = await startOktaEmulator({ seed: 'empty', rateLimits: false });
    const dir = tempDir();
    try {
      const client = clientFor(empty);
      const fingerprints = fileFingerprintStore(join(dir.dir, 'state.json'));
      const input = { realmSid: DEMO.realmSid, appId: undefined, fingerprints, now: new Date() };
      const created = await setupApp(createGuardDirectory(client), input);
      expect(await fingerprints.getIdpIssuer?.(created.appId)).toBe(DEFAULT_IDP_ISSUER);

      const app = await getAppRaw(client, created.appId);
      (app.settings as { signOn: { idpIssuer: unknown } }).signOn.idpIssuer = 'urn:example:okta:frontline';
      await replaceAppRaw(client, created.appId, app);
      const again = await setupApp(createGuardDirectory(client), input);
      expect(again.console.idpIssuer).toBe('urn:example:okta:frontline');
      expect(await fingerprints.getIdpIssuer?.(created.appId)).toBe('urn:example:okta:frontline');
      expect(await fingerprints.get(created.appId)).toBe(again.console.certificate.fingerprintSha256);
    } finally {
      dir.cleanup();
      await empty.stop();
    }
  });

  it('creates a valid app on an empty org and returns the console values from Okta’s metadata', async () => {
    const empty = await startOktaEmulator({ seed: 'empty', rateLimits: false });
    try {
      const client = clientFor(empty);
      const result = await setupApp(createGuardDirectory(client), {
        realmSid: DEMO.realmSid,
        appId: undefined,
        fingerprints: staticFingerprintStore(undefined),
        now: new Date(),
      });
      expect(result.action).toBe('created');
      expect(result.repair).toMatchObject({ ok: true, before: [] });
      const app = await getAppRaw(client, result.appId);
      expect(app.status).toBe('ACTIVE');
      expect(checkAppConfig(app, rules)).toEqual([]);
      const metadata = parseIdpMetadata(
        await getMetadataXml(client, result.appId, activeKid(app) ?? 'no-active-kid'),
      );
      expect(result.console.idpIssuer).toBe(metadata.entityId);
      expect(result.console.idpSsoUrl).toBe(metadata.ssoUrl);
      expect(new X509Certificate(result.console.certificatePem).fingerprint256).toBe(
        result.console.certificate.fingerprintSha256,
      );

      // Running it again adopts the same app instead of creating a second one.
      const again = await setupApp(createGuardDirectory(client), {
        realmSid: DEMO.realmSid,
        appId: undefined,
        fingerprints: staticFingerprintStore(undefined),
        now: new Date(),
      });
      expect(again).toMatchObject({ action: 'adopted', appId: result.appId });
    } finally {
      await empty.stop();
    }
  });

  it('adopts FRONTLINE_APP_ID, repairs it, and the setup command prints the console values', async () => {
    await drift((a) => (a.settings.signOn.assertionSigned = false));
    const stateFile = join(tmp.dir, 'setup.json');
    const { code, stdout } = await captureOutput(() => setupCommand([], envFor(emu, stateFile)));
    expect(code).toBe(0);
    expect(stdout).toContain(`Adopted app ${DEMO.appId}`);
    expect(stdout).toContain('Repaired: settings.signOn.assertionSigned');
    expect(stdout).toMatch(/Identity provider issuer: http:\/\/www\.okta\.com\/exk/);
    expect(stdout).toContain('-----BEGIN CERTIFICATE-----');
    expect(await confirmedIn(stateFile, DEMO.appId)).toMatch(/^[0-9A-F:]{95}$/);
  });

  it('setup --json on an empty org creates the app and returns the console values as one document', async () => {
    const empty = await startOktaEmulator({ seed: 'empty', rateLimits: false });
    try {
      const env = envFor(empty, join(tmp.dir, 'empty.json'));
      delete env.FRONTLINE_APP_ID;
      delete env.FRONTLINE_GROUP_ID;
      const { code, stdout } = await captureOutput(() => setupCommand(['--json'], env));
      expect(code).toBe(0);
      const doc = JSON.parse(stdout);
      expect(doc).toMatchObject({
        ok: true,
        action: 'created',
        console: { idpIssuer: expect.stringMatching(/^http:\/\/www\.okta\.com\//) },
      });
      expect(doc.console.certificatePem).toContain('BEGIN CERTIFICATE');
      const check = await captureOutput(() => checkCommand([], { ...env, FRONTLINE_APP_ID: doc.appId }));
      expect(check.code).toBe(0);
    } finally {
      await empty.stop();
    }
  });
});
