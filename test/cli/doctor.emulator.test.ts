import { generateKeyPairSync } from 'node:crypto';
import { DEMO, DEMO_SEED, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import type { DoctorDocument } from '../../src/cli/documents';
import { run as doctorCommand } from '../../src/cli/doctor';
import { OKTA_SCOPES } from '../../src/okta/client';
import { orgUrlProblems } from '../../src/ops/org-url';
import { adminCall, captureOutput } from '../app-guard/helpers';
import { jsonOf, keysOf, sortedKeys, verificationServer } from './helpers';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'doctor-key', use: 'sig', alg: 'RS256' };
const CLIENT_ID = '0oadoctorservice0001';
const WITHOUT_HOOKS = OKTA_SCOPES.filter((s) => s !== 'okta.eventHooks.manage');

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator({
    seed: { ...DEMO_SEED, serviceApps: [{ clientId: CLIENT_ID, publicJwk, scopes: WITHOUT_HOOKS }] },
    rateLimits: false,
  });
});
afterAll(() => emu.stop());

const tokenEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  OKTA_ORG_URL: emu.url,
  OKTA_API_TOKEN: emu.token,
  FRONTLINE_GROUP_ID: DEMO.groupId,
  FRONTLINE_APP_ID: DEMO.appId,
  FRONTLINE_REALM_SID: DEMO.realmSid,
  ...extra,
});
const failed = (doc: DoctorDocument) => doc.checks.filter((c) => !c.ok);

describe('Command: doctor', () => {
  it('exits 0 with a DoctorDocument when every check passes', async () => {
    const { code, doc } = await jsonOf<DoctorDocument>(() => doctorCommand(['--json'], tokenEnv()));

    expect(failed(doc)).toEqual([]);
    expect(code).toBe(0);
    expect(sortedKeys(doc)).toEqual(keysOf<DoctorDocument>()(['ok', 'checks']));
    expect(sortedKeys(doc.checks[0])).toEqual(
      keysOf<DoctorDocument['checks'][number]>()(['name', 'ok', 'message']),
    );
    expect(doc.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'settings',
        'org URL',
        'credentials',
        'group',
        'app',
        'event hooks',
        'Realm SID',
      ]),
    );
  });

  it('in group mode says whether the group is assigned to the app, which no credential check shows', async () => {
    const env = tokenEnv({ FRONTLINE_ASSIGNMENT_MODE: 'group' });
    const before = await jsonOf<DoctorDocument>(() => doctorCommand(['--json'], env));
    expect(failed(before.doc)).toEqual([
      expect.objectContaining({
        name: 'group assigned (group mode)',
        message: expect.stringContaining('no member gets the app'),
      }),
    ]);
    expect(before.code).toBe(1);

    await adminCall(emu, 'PUT', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`, {});
    const after = await jsonOf<DoctorDocument>(() => doctorCommand(['--json'], env));
    expect(failed(after.doc)).toEqual([]);
    expect(after.doc.checks.map((c) => c.name)).toContain('group assigned (group mode)');
    await adminCall(emu, 'DELETE', `/api/v1/apps/${DEMO.appId}/groups/${DEMO.groupId}`);
    // User mode never asks.
    const user = await jsonOf<DoctorDocument>(() => doctorCommand(['--json'], tokenEnv()));
    expect(user.doc.checks.map((c) => c.name)).not.toContain('group assigned (group mode)');
  });

  it('names the scope a service app is not granted instead of a misleading "Invalid token"', async () => {
    const { code, doc } = await jsonOf<DoctorDocument>(() =>
      doctorCommand(['--json'], {
        ...tokenEnv(),
        OKTA_API_TOKEN: '',
        OKTA_CLIENT_ID: CLIENT_ID,
        OKTA_PRIVATE_KEY: privatePem,
        OKTA_KEY_ID: 'doctor-key',
      }),
    );

    expect(code).toBe(1);
    expect(failed(doc)).toEqual([
      {
        name: 'scopes granted',
        ok: false,
        message: expect.stringMatching(
          new RegExp(`^the service app ${CLIENT_ID} is not granted okta\\.eventHooks\\.manage:`),
        ),
      },
    ]);
  });

  it('names a scope left out of OKTA_SCOPES and the features that need it', async () => {
    const { doc } = await jsonOf<DoctorDocument>(() =>
      doctorCommand(['--json'], {
        ...tokenEnv(),
        OKTA_API_TOKEN: '',
        OKTA_CLIENT_ID: CLIENT_ID,
        OKTA_PRIVATE_KEY: privatePem,
        OKTA_KEY_ID: 'doctor-key',
        OKTA_SCOPES: WITHOUT_HOOKS.join(' '),
      }),
    );

    expect(failed(doc)).toEqual([
      expect.objectContaining({
        name: 'scopes requested',
        message: 'OKTA_SCOPES lacks okta.eventHooks.manage (hook register and status need it)',
      }),
      expect.objectContaining({
        name: 'event hooks',
        message: expect.stringContaining('okta.eventHooks.manage'),
      }),
    ]);
  });

  it('prints one line per problem and exits 1: an -admin URL with a path, and every settings problem at once', async () => {
    const { code, stdout } = await captureOutput(() =>
      doctorCommand([], {
        OKTA_ORG_URL: 'https://acme-admin.okta.com/admin/dashboard',
        OKTA_API_TOKEN: 'SSWS 00abc',
      }),
    );
    const problems = stdout.split('\n').filter((l) => l.startsWith('PROBLEM'));

    expect(code).toBe(1);
    expect(problems).toEqual([
      "PROBLEM org URL: OKTA_ORG_URL is the Admin Console's host; use the org's: https://acme.okta.com",
      "PROBLEM org URL: OKTA_ORG_URL has a path (/admin/dashboard); use the org's base URL: https://acme-admin.okta.com",
      'PROBLEM settings: FRONTLINE_GROUP_ID is required (the Okta group whose members get Frontline; or FRONTLINE_GROUP_IDS)',
    ]);
  });

  it('says which id Okta does not know, and that the credentials are rejected', async () => {
    const wrongGroup = await jsonOf<DoctorDocument>(() =>
      doctorCommand(['--json'], tokenEnv({ FRONTLINE_GROUP_ID: '00gnosuchgroup000000' })),
    );
    const wrongToken = await jsonOf<DoctorDocument>(() =>
      doctorCommand(['--json'], tokenEnv({ OKTA_API_TOKEN: 'nope' })),
    );

    expect(failed(wrongGroup.doc)).toEqual([
      expect.objectContaining({
        name: 'group',
        message: expect.stringContaining('00gnosuchgroup000000 (FRONTLINE_GROUP_ID) does not exist'),
      }),
    ]);
    expect(failed(wrongToken.doc)).toEqual([
      expect.objectContaining({
        name: 'credentials',
        message: expect.stringContaining('rejects the credentials'),
      }),
    ]);
  });

  it('checks that the receiver answers the verification challenge with the hook secret', async () => {
    const secret = 'doctor-hook-secret-0123456789';
    const receiver = await verificationServer(secret);
    try {
      const good = await jsonOf<DoctorDocument>(() =>
        doctorCommand(['--receiver-url', receiver.url, '--json'], tokenEnv({ OKTA_HOOK_SECRET: secret })),
      );
      const wrong = await jsonOf<DoctorDocument>(() =>
        doctorCommand(
          ['--receiver-url', receiver.url, '--json'],
          tokenEnv({ OKTA_HOOK_SECRET: 'another-secret-0123456789' }),
        ),
      );

      expect(good.code).toBe(0);
      expect(good.doc.checks.at(-1)).toEqual({
        name: 'receiver',
        ok: true,
        message: expect.stringContaining('answers'),
      });
      expect(wrong.code).toBe(1);
      expect(failed(wrong.doc)).toEqual([
        expect.objectContaining({ name: 'receiver', message: expect.stringContaining('secret differs') }),
      ]);
      expect(JSON.stringify(wrong.doc)).not.toContain('another-secret');
    } finally {
      await receiver.close();
    }
  });
});

describe('Function: orgUrlProblems', () => {
  it('accepts an org URL and the emulator’s loopback URL', () => {
    expect(orgUrlProblems('https://acme.okta.com')).toEqual([]);
    expect(orgUrlProblems('https://acme.okta.com/')).toEqual([]);
    expect(orgUrlProblems('http://127.0.0.1:8081')).toEqual([]);
  });

  it('names the Admin Console host with the URL to use', () => {
    expect(orgUrlProblems('https://acme-admin.oktapreview.com')).toEqual([
      "OKTA_ORG_URL is the Admin Console's host; use the org's: https://acme.oktapreview.com",
    ]);
  });
});
