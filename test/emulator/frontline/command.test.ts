import { spawn } from 'node:child_process';
import { IDP_ISSUER, IDP_SSO_URL, REALM, makeKey } from './saml-fixtures';

/** Runs `npm run emulator` (its script, bin/emulator.ts) with `args` until a line starting with `until` is out. */
function runEmulator(args: string[], until: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/emulator.ts', ...args], {
    cwd: `${__dirname}/../../..`,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new Promise<string[]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const got = out.split('\n');
      if (got.slice(0, -1).some((l) => l.trimStart().startsWith(until))) resolve(got);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { child, output, stop };
}

const listening = (lines: string[], name: string) =>
  lines
    .find((l) => l.startsWith(`${name} emulator listening on `))
    ?.split(' ')
    .at(-1);

describe('Command: npm run emulator -- --frontline-only', () => {
  it('runs the Frontline emulator on its own, its console SSO page and consumer reachable, and stops on SIGTERM', async () => {
    const run = runEmulator(['--frontline-only', '--frontline-port', '0', '--seed', 'empty'], 'sign-in:');
    try {
      const lines = await run.output;
      expect(lines[0]).toMatch(/^Frontline emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(listening(lines, 'Okta')).toBeUndefined();
      const url = listening(lines, 'Frontline')!;
      const key = await makeKey();
      const put = await fetch(`${url}/__emulator/sso/${REALM}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ issuer: IDP_ISSUER, ssoUrl: IDP_SSO_URL, certificate: key.certPem }),
      });
      expect(put.status).toBe(200);
      const consumer = await fetch(`${url}/v2/saml2/authenticate/${REALM}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'SAMLResponse=',
      });
      expect(await consumer.json()).toEqual({
        code: 'malformed_request',
        reason: 'the form field SAMLResponse is missing',
      });
    } catch (err) {
      run.child.kill('SIGKILL');
      throw err;
    }
    expect(await run.stop()).toBe(0);
  });

  it('starts it beside the Okta emulator with --frontline, and prints the demo realm', async () => {
    const run = runEmulator(['--frontline', '--port', '0'], 'sign-in:');
    try {
      const lines = await run.output;
      expect(lines[0]).toMatch(/^Okta emulator listening on /);
      const url = listening(lines, 'Frontline');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toBe(listening(lines, 'Okta'));
      const realm = lines
        .find((l) => l.trim().startsWith('realm:'))!
        .trim()
        .split(/\s+/)[1];
      expect(lines).toContain(
        `  sign-in: POST ${url}/v2/saml2/authenticate/${realm} (SAMLResponse, RelayState)`,
      );
    } catch (err) {
      run.child.kill('SIGKILL');
      throw err;
    }
    expect(await run.stop()).toBe(0);
  });

  it('refuses a --frontline-port that is not a port', async () => {
    const run = runEmulator(['--frontline-port', 'x'], 'never');
    const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    run.output.catch(() => undefined);
    expect(code).toBe(2);
  });
});
