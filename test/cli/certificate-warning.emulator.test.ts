import { join } from 'node:path';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { run as certCommand } from '../../src/cli/cert';
import { run as checkCommand } from '../../src/cli/check';
import type { CertRotateDocument, CheckDocument, StatusDocument } from '../../src/cli/documents';
import { run as statusCommand } from '../../src/cli/status';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { EXPIRY_PATH } from '../../src/domain/signing-certificate';
import { registerEventHook } from '../../src/okta/event-hooks';
import { api } from '../emulator/sso-helpers';
import { captureOutput, clientFor, envFor, tempDir } from '../app-guard/helpers';
import { atClock } from './clock';
import { jsonOf, verificationServer } from './helpers';

/*
 * `check` and `status` inside the certificate-expiry warning window: exit 2, the days left, and the rollover's next
 * step. The demo app's key is good for ten years, so each case sets the clock a given number of days before it
 * expires (the setting's edges: 29, 30 and 31 days for the default 30).
 */

const DAY = 86_400_000;
let emu: RunningEmulator;
let tmp: ReturnType<typeof tempDir>;
let env: NodeJS.ProcessEnv;
let expiresAt: number;

beforeAll(async () => {
  emu = await startOktaEmulator({ seed: 'demo', rateLimits: false });
  tmp = tempDir();
  env = envFor(emu, join(tmp.dir, 'state.json'));
  const secret = 'warning-hook-secret-0123456789';
  const receiver = await verificationServer(secret);
  try {
    await registerEventHook(clientFor(emu), {
      name: 'Frontline provisioner',
      url: receiver.url,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret,
    });
  } finally {
    await receiver.close();
  }
  await captureOutput(() => checkCommand(['--confirm-certificate'], env));
  const keys = (await api(emu, 'GET', `/api/v1/apps/${DEMO.appId}/credentials/keys`)).json as unknown as {
    expiresAt: string;
  }[];
  expiresAt = Date.parse(keys[0]!.expiresAt);
});
afterAll(async () => {
  await emu.stop();
  tmp.cleanup();
});

/** A minute more than `days` whole days before the demo key expires: `daysToExpiry` reads `days`. */
const daysLeft = (days: number) => new Date(expiresAt - days * DAY - 60_000);
const check = (days: number, extra: Record<string, string> = {}) =>
  atClock(daysLeft(days), () => jsonOf<CheckDocument>(() => checkCommand(['--json'], { ...env, ...extra })));
const status = (days: number, extra: Record<string, string> = {}) =>
  atClock(daysLeft(days), () =>
    jsonOf<StatusDocument>(() => statusCommand(['--json'], { ...env, ...extra })),
  );

describe('Command: check, inside the certificate warning window', () => {
  it.each([
    [29, 2],
    [30, 0],
    [31, 0],
  ])('with %i days left in the default 30-day window exits %i', async (days, exit) => {
    const { code, doc } = await check(days);

    expect(code).toBe(exit);
    expect(doc.certificate?.daysToExpiry).toBe(days);
    const expiring = doc.findings.filter((f) => f.path === EXPIRY_PATH);
    expect(expiring).toHaveLength(exit === 2 ? 1 : 0);
  });

  it('names the days left and the next step: generate a key, paste it, activate it', async () => {
    const { doc } = await check(29);

    expect(doc.findings).toEqual([
      expect.objectContaining({
        path: EXPIRY_PATH,
        severity: 'risky',
        message:
          'the signing certificate expires in 29 day(s) (warning window 30 days); next: run `npm run cli -- cert ' +
          "rotate --generate`, paste the certificate it prints into Frontline's console, then run `npm run cli -- " +
          'cert rotate --activate` right away',
      }),
    ]);
  });

  it('reads the window from CERTIFICATE_EXPIRY_WARNING_DAYS', async () => {
    expect((await check(44, { CERTIFICATE_EXPIRY_WARNING_DAYS: '45' })).code).toBe(2);
    expect((await check(45, { CERTIFICATE_EXPIRY_WARNING_DAYS: '45' })).code).toBe(0);
    expect((await check(29, { CERTIFICATE_EXPIRY_WARNING_DAYS: '20' })).code).toBe(0);
  });

  it('refuses a window outside 1 to 365 days, naming the variable', async () => {
    const { code, stderr } = await captureOutput(() =>
      checkCommand([], { ...env, CERTIFICATE_EXPIRY_WARNING_DAYS: '400' }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('CERTIFICATE_EXPIRY_WARNING_DAYS must be a whole number of days from 1 to 365');
  });
});

describe('Command: status, inside the certificate warning window', () => {
  it.each([
    [29, 2],
    [30, 0],
    [31, 0],
  ])('with %i days left exits %i', async (days, exit) => {
    const { code, doc } = await status(days);

    expect(code).toBe(exit);
    expect(doc.certificate?.daysToExpiry).toBe(days);
    const line = doc.attention.find((a) => a.startsWith('the signing certificate expires'));
    if (exit === 2)
      expect(line).toContain(
        'expires in 29 day(s) (warning window 30 days); next: run `npm run cli -- cert rotate --generate`',
      );
    else expect(doc.attention).toEqual([]);
  });

  it('prints the days left and the next step under "Needs attention"', async () => {
    const { code, stdout } = await atClock(daysLeft(10), () => captureOutput(() => statusCommand([], env)));

    expect(code).toBe(2);
    expect(stdout).toContain('(10 days), confirmed');
    expect(stdout).toMatch(
      /Needs attention:[\s\S]*the signing certificate expires in 10 day\(s\)[^\n]*cert rotate --generate/,
    );
  });
});

describe('Command: check, once a new key waits', () => {
  it('names the paste and --activate as the next step', async () => {
    // The rollover's first step, taken on the same clock (Okta dates the new key then).
    const generated = await atClock(daysLeft(20), () =>
      jsonOf<CertRotateDocument>(() => certCommand(['rotate', '--generate', '--json'], env)),
    );
    const kid = generated.doc.certificate!.kid;

    const { code, doc } = await check(20);

    expect(code).toBe(2);
    const finding = doc.findings.find((f) => f.path === EXPIRY_PATH);
    expect(finding?.message).toContain(
      `next: paste the new certificate (kid ${kid}; \`npm run cli -- cert rotate --plan\` prints it) into ` +
        "Frontline's console, then run `npm run cli -- cert rotate --activate` right away",
    );
  });
});
