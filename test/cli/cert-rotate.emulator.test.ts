import { join } from 'node:path';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import {
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
  type SsoFailureCode,
} from '../../emulator/frontline';
import { consoleValues } from '../../src/app-guard/setup';
import { run as certCommand } from '../../src/cli/cert';
import { run as checkCommand } from '../../src/cli/check';
import type { CertRotateDocument, CheckDocument, ErrorDocument } from '../../src/cli/documents';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { api } from '../emulator/sso-helpers';
import { captureOutput, clientFor, envFor, tempDir } from '../app-guard/helpers';
import { jsonOf } from './helpers';

/*
 * The guided rollover end to end, on both emulators: the Frontline emulator's SSO page plays Frontline's console
 * (one certificate), and the demo agent signs in after every step the way the browser carries Okta's Response to
 * Twilio's assertion consumer.
 */

let okta: RunningEmulator;
let frontline: RunningFrontlineEmulator;
let tmp: ReturnType<typeof tempDir>;
let env: NodeJS.ProcessEnv;
let n = 0;

beforeAll(async () => {
  okta = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  frontline = await startFrontlineEmulator();
  tmp = tempDir();
});
afterAll(async () => {
  await okta.stop();
  await frontline.stop();
  tmp.cleanup();
});
beforeEach(async () => {
  await okta.control.reset('demo');
  frontline.control.reset();
  n += 1;
  env = envFor(okta, join(tmp.dir, `cert-${n}.json`));
  // Twilio's guide, step 7: the values `setup` prints, pasted into Frontline's console.
  const values = await consoleValues(createGuardDirectory(clientFor(okta)), DEMO.appId, new Date());
  frontline.control.configureSso(DEMO.realmSid, {
    issuer: values.idpIssuer,
    ssoUrl: values.idpSsoUrl,
    certificate: values.certificatePem,
  });
});

/** The demo agent opens Frontline from Okta: Okta issues the Response, Frontline's consumer answers. */
async function signIn(): Promise<{ ok: true } | { ok: false; code: SsoFailureCode }> {
  const issued = await okta.control.issueSamlResponse(DEMO.appId, DEMO.users.agent);
  const result = await frontline.control.consume(DEMO.realmSid, issued.samlResponse, issued.relayState);
  return result.ok ? { ok: true } : { ok: false, code: result.body.code };
}

/** The admin pastes a certificate into Frontline's console; issuer and SSO URL stay. */
function paste(pem: string): void {
  const page = frontline.control.getSso(DEMO.realmSid)!;
  frontline.control.configureSso(DEMO.realmSid, {
    issuer: page.issuer,
    ssoUrl: page.ssoUrl,
    certificate: pem,
  });
}

const cert = (...args: string[]) =>
  jsonOf<CertRotateDocument>(() => certCommand(['rotate', '--json', ...args], env));
const refused = (...args: string[]) =>
  jsonOf<ErrorDocument>(() => certCommand(['rotate', '--json', ...args], env));
const activeKid = async () =>
  String((await api(okta, 'GET', `/api/v1/apps/${DEMO.appId}`)).json.credentials.signing.kid);
const keyCount = async () =>
  ((await api(okta, 'GET', `/api/v1/apps/${DEMO.appId}/credentials/keys`)).json as unknown[]).length;

describe('Command: cert rotate, with a sign-in after every step', () => {
  it('rolls the certificate over in the documented order and the agent always signs in', async () => {
    expect(await signIn()).toEqual({ ok: true });

    const plan = await cert('--plan');
    expect(plan.code).toBe(0);
    expect(plan.doc).toMatchObject({ action: 'planned', state: { next: 'none' } });
    expect(plan.doc.state.pending).toBeUndefined();
    expect(plan.doc.plan.map((s) => [s.step, s.status])).toEqual([
      ['generate', 'next'],
      ['paste', 'then'],
      ['activate', 'then'],
    ]);

    const generated = await cert('--generate', '--validity-years', '2');
    expect(generated.code).toBe(0);
    const newKey = generated.doc.certificate!;
    expect(generated.doc).toMatchObject({
      action: 'generated',
      state: { active: { kid: DEMO.signingKid }, pending: { kid: newKey.kid }, next: 'paste-and-activate' },
      baselineRecorded: false,
    });
    expect(newKey.daysToExpiry).toBeGreaterThanOrEqual(729);
    expect(newKey.daysToExpiry).toBeLessThanOrEqual(731);
    expect(await activeKid()).toBe(DEMO.signingKid);
    expect(await signIn()).toEqual({ ok: true }); // the active key did not change

    paste(newKey.pem);
    const activated = await cert('--activate');
    expect(activated.code).toBe(0);
    expect(activated.doc).toMatchObject({
      action: 'activated',
      state: { active: { kid: newKey.kid }, previous: { kid: DEMO.signingKid } },
      certificate: { kid: newKey.kid },
      baselineRecorded: true,
    });
    expect(activated.doc.state.pending).toBeUndefined();
    expect(await activeKid()).toBe(newKey.kid);
    expect(await signIn()).toEqual({ ok: true });

    // The new certificate is the recorded baseline: check sees no changed certificate.
    const checked = await jsonOf<CheckDocument>(() => checkCommand(['--json'], env));
    expect(checked.code).toBe(0);
    expect(checked.doc.certificate).toMatchObject({ kid: newKey.kid, confirmed: true });
  });

  it('records the app’s IdP issuer with the new certificate, so a later change of the issuer is a repairable break', async () => {
    const generated = await cert('--generate', '--validity-years', '2');
    paste(generated.doc.certificate!.pem);
    expect((await cert('--activate')).doc.baselineRecorded).toBe(true);

    const app = (await api(okta, 'GET', `/api/v1/apps/${DEMO.appId}`)).json;
    app.settings.signOn.idpIssuer = 'urn:example:okta:frontline';
    await api(okta, 'PUT', `/api/v1/apps/${DEMO.appId}`, app);
    const checked = await jsonOf<CheckDocument>(() => checkCommand(['--json'], env));
    expect(checked.doc.findings).toEqual([
      expect.objectContaining({
        path: 'settings.signOn.idpIssuer',
        severity: 'breaks-sso',
        repairable: true,
        expected: 'http://www.okta.com/${org.externalKey}',
      }),
    ]);
  });

  it('locks the agent out when --activate runs before the paste, and --rollback lets them back in', async () => {
    const { doc } = await cert('--generate', '--validity-years', '2');
    await cert('--activate'); // the new certificate was never pasted

    expect(await signIn()).toEqual({ ok: false, code: 'response_signature_invalid' });

    const rolledBack = await cert('--rollback');
    expect(rolledBack.code).toBe(0);
    expect(rolledBack.doc).toMatchObject({
      action: 'rolled-back',
      certificate: { kid: DEMO.signingKid },
      state: { active: { kid: DEMO.signingKid }, pending: { kid: doc.certificate!.kid } },
      baselineRecorded: true,
    });
    expect(await signIn()).toEqual({ ok: true });
    expect((await jsonOf<CheckDocument>(() => checkCommand(['--json'], env))).code).toBe(0);
  });

  it('fails a sign-in only between the paste and --activate, so the two go back to back', async () => {
    const { doc } = await cert('--generate', '--validity-years', '2');

    paste(doc.certificate!.pem); // Frontline's console holds one certificate: Okta still signs with the old key
    expect(await signIn()).toEqual({ ok: false, code: 'response_signature_invalid' });
    await cert('--activate');
    expect(await signIn()).toEqual({ ok: true });
  });

  it('repeats every step without changing anything and says so', async () => {
    const first = await cert('--generate', '--validity-years', '3');
    const again = await cert('--generate');
    expect(again.code).toBe(0);
    expect(again.doc).toMatchObject({
      action: 'unchanged',
      certificate: { kid: first.doc.certificate!.kid },
    });
    expect(again.doc.message).toContain(`a new key already waits: kid ${first.doc.certificate!.kid}`);
    expect(await keyCount()).toBe(2);

    paste(first.doc.certificate!.pem);
    await cert('--activate');
    const lastRotated = (await api(okta, 'GET', `/api/v1/apps/${DEMO.appId}`)).json.credentials.signing
      .lastRotated;
    const activeAgain = await cert('--activate');
    expect(activeAgain.code).toBe(0);
    expect(activeAgain.doc).toMatchObject({ action: 'unchanged', baselineRecorded: false });
    expect(activeAgain.doc.message).toContain('is already the active one');
    expect((await api(okta, 'GET', `/api/v1/apps/${DEMO.appId}`)).json.credentials.signing.lastRotated).toBe(
      lastRotated,
    );

    await cert('--rollback');
    const rollbackAgain = await cert('--rollback');
    expect(rollbackAgain.code).toBe(0);
    expect(rollbackAgain.doc).toMatchObject({
      action: 'unchanged',
      state: { active: { kid: DEMO.signingKid } },
    });
    expect(rollbackAgain.doc.message).toContain('nothing to roll back');
    expect(await signIn()).toEqual({ ok: false, code: 'response_signature_invalid' }); // the console holds the new one
  });

  it('refuses steps out of order, changing nothing', async () => {
    const activate = await refused('--activate');
    expect(activate.code).toBe(1);
    expect(activate.doc.error).toEqual({
      name: 'RolloverRefusedError',
      message: `cert rotate --activate: there is no new key to activate (kid ${DEMO.signingKid} is the app's only valid key): run --generate first`,
    });
    const rollback = await refused('--rollback');
    expect(rollback.code).toBe(1);
    expect(rollback.doc.error.message).toContain('there is no previous key to roll back to');

    expect(await activeKid()).toBe(DEMO.signingKid);
    expect(await keyCount()).toBe(1);
    expect(await signIn()).toEqual({ ok: true });
  });

  it.each([
    [[], 'exactly one of --plan, --generate, --activate, --rollback'],
    [['--generate', '--activate'], 'exactly one of'],
    [['--generate', '--validity-years', '11'], '--validity-years must be a whole number from 2 to 10'],
    [['--generate', '--validity-years', 'two'], '--validity-years must be a whole number from 2 to 10'],
    [['--activate', '--validity-years', '2'], '--validity-years goes with --generate only'],
  ])('refuses the usage %j before calling Okta', async (args, message) => {
    const { code, doc } = await refused(...args);
    expect(code).toBe(1);
    expect(doc.error.message).toContain(message);
    expect(await keyCount()).toBe(1);
  });

  it('touches no key of an app that is not Frontline’s', async () => {
    env = { ...env, FRONTLINE_APP_ID: DEMO.otherAppId };
    const { code, doc } = await refused('--generate');
    expect(code).toBe(1);
    expect(doc.error.name).toBe('AppTargetError');
    expect(doc.error.message).toContain("is not Frontline's");
    expect(await keyCount()).toBe(1);
  });
});

describe('Command: cert rotate, what it prints', () => {
  it('prints the new certificate for Frontline’s console and the next step, never a private key', async () => {
    const { code, stdout } = await captureOutput(() =>
      certCommand(['rotate', '--generate', '--validity-years', '2'], env),
    );

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Generated kid \S+, valid until \S+ \(\d+ days\); the active key, kid \S+, is unchanged\.$/m,
    );
    expect(stdout).toContain("Paste this certificate into Frontline's console");
    expect(stdout).toMatch(/-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----/);
    expect(stdout).toContain('Then run `npm run cli -- cert rotate --activate` right away');
    expect(stdout).not.toMatch(/PRIVATE KEY/);
  });

  it('plans without changing anything, printing the waiting certificate and the next step', async () => {
    await cert('--generate', '--validity-years', '2');
    const lastUpdated = (await api(okta, 'GET', `/api/v1/apps/${DEMO.appId}`)).json.lastUpdated;

    const { code, stdout } = await captureOutput(() => certCommand(['rotate', '--plan'], env));

    expect(code).toBe(0);
    expect(stdout).toContain('1. generate [done]');
    expect(stdout).toContain('2. paste [next]');
    expect(stdout).toContain('Okta reports  last rotated');
    expect(stdout).toMatch(/-----BEGIN CERTIFICATE-----/);
    expect(stdout).toContain('Next: paste the new certificate');
    expect(stdout).toContain('Nothing was changed.');
    expect((await api(okta, 'GET', `/api/v1/apps/${DEMO.appId}`)).json.lastUpdated).toBe(lastUpdated);
    expect(await keyCount()).toBe(2);
  });

  it('tells the operator to sign in once after --activate, and what --rollback is for', async () => {
    const { doc } = await cert('--generate', '--validity-years', '2');
    paste(doc.certificate!.pem);

    const { stdout } = await captureOutput(() => certCommand(['rotate', '--activate'], env));

    expect(stdout).toMatch(/^Activated kid \S+ \(was kid \S+\)/m);
    expect(stdout).toContain('Recorded kid');
    expect(stdout).toContain('Sign in to Frontline once to check');
    expect(stdout).toContain('cert rotate --rollback');
  });
});
