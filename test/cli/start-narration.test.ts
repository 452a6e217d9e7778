import { spawn } from 'node:child_process';
import { join } from 'node:path';

/*
 * `npm start` without --once, as a newcomer runs it: after the walkthrough it keeps running, and what they try from
 * the printed hints shows up as one line per convergence.
 */
describe('Command: npm start (kept running)', () => {
  it('prints one line per convergence after the walkthrough, with the reconcile among its hints', async () => {
    const root = join(__dirname, '..', '..');
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        'bin/start.ts',
        '--port',
        '0',
        '--emulator-port',
        '0',
      ],
      { cwd: root, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const waitFor = (pattern: RegExp, ms: number) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${stdout}`)), ms);
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve(match);
          }
        };
        child.stdout.on('data', check);
        check();
      });
    try {
      await waitFor(/Each convergence prints one line below/, 60_000);
      const put =
        /curl -s -X PUT -H "Authorization: SSWS (\S+)" (http:\/\/\S+\/api\/v1\/groups\/\S+\/users\/(\S+))/.exec(
          stdout,
        );
      expect(put).not.toBeNull();
      expect(stdout).toContain('npm run cli -- reconcile --dry-run');
      const [, token, url, userId] = put!;

      await fetch(url!, { method: 'PUT', headers: { Authorization: `SSWS ${token}` } });
      const line = await waitFor(
        new RegExp(`\\d\\d:\\d\\d:\\d\\d ${userId}: converged in \\d+ ms \\(actions: [^)]*assign\\)`),
        20_000,
      );

      expect(line).toBeTruthy();
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
  }, 90_000);
});
