import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('Command: npm start -- --once', () => {
  it('onboards one user and offboards another through real hook deliveries, then exits 0', () => {
    const root = join(__dirname, '..', '..');
    const result = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/start.ts', '--once'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
      },
    );

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('VERIFIED, ACTIVE');
    expect(result.stdout).toMatch(
      /converged in \d+ ms \(actions: set-user-type, assign; Frontline: not-signed-in\)/,
    );
    expect(result.stdout).toContain(
      'userType = "agent", assigned to Frontline as "nina.newhire@example.com"',
    );
    // serve recorded every app user's identity (the username) at start, so the leaver's needs no read before the
    // unassign; had that record not finished yet, it is read just before (no template is pinned).
    expect(result.stdout).toMatch(
      /converged in \d+ ms \(actions: (read-app-username, )?unassign; Frontline: deactivated\)/,
    );
    expect(result.stdout).toContain('assigned to Frontline = no');
    // The leaver was signed in to Frontline; the walkthrough shows the session ended.
    expect(result.stdout).toContain('Frontline before: state = active, 1 active session(s)');
    expect(result.stdout).toContain(
      'Frontline now says: state = deactivated, 0 active session(s): their Frontline session was ended',
    );
    // The new hire signs in through SAML: Okta's assertion, Frontline's user created with identity = the NameID.
    expect(result.stdout).toContain(
      'the assertion: NameID "nina.newhire@example.com", email = "nina.newhire@example.com", roles = "agent"',
    );
    expect(result.stdout).toContain('Frontline accepts: created user "nina.newhire@example.com"');
    // The leaver can't sign in again: Okta refuses, as they are no longer assigned.
    expect(result.stdout).toMatch(/tries to sign in to Frontline again\n {2}Okta refuses: .*not assigned/);
    expect(result.stdout).toContain('one user onboarded and signed in, one offboarded');
  }, 90_000);
});
