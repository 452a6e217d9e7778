import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs bin/app.ts the way `cdk synth -c config=…` does: the context arrives in CDK_CONTEXT_JSON. */
function runApp(context: Record<string, unknown>) {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context) },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('bin/app.ts: config selection', () => {
  it('fails with one line per problem and exit code 1 when the config is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontline-bin-'));
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ oktaOrgUrl: 'https://acme.okta.com', groupId: 'x', realmSid: 'JB1' }),
    );
    const { status, stderr } = runApp({ config: path });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `Invalid deployment configuration ${path}:`,
      '  groupId: "x" — must be an Okta group id: "00g" followed by 17 letters or digits',
      '  realmSid: "JB1" — must be a Frontline Realm SID: "JB" followed by 32 hex digits',
      '  appId: (missing) — required unless "bootstrap" is true (the Frontline SAML app id, "0oa…")',
    ]);
  });

  it('says how to pass the config when none is given', () => {
    const { status, stderr } = runApp({});
    expect(status).toBe(1);
    expect(stderr).toContain('npx cdk synth -c config=<path>');
    expect(stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
