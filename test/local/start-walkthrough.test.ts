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
    expect(result.stdout).toMatch(/converged in \d+ ms \(actions: set-user-type, assign\)/);
    expect(result.stdout).toContain(
      'userType = "agent", assigned to Frontline as "nina.newhire@example.com"',
    );
    expect(result.stdout).toMatch(/converged in \d+ ms \(actions: unassign\)/);
    expect(result.stdout).toContain('assigned to Frontline = no');
    expect(result.stdout).toContain('one user onboarded, one offboarded');
  }, 90_000);
});
