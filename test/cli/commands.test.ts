import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, dispatch } from '../../src/cli/commands';
import { captureOutput } from '../app-guard/helpers';

const NAMES = Object.keys(COMMANDS);
const packageVersion = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

describe('Command: cli dispatch', () => {
  // Settings must not be what stops a command here: an empty environment would fail every one of them anyway.
  const env = {};

  it('prints the package version for --version', async () => {
    const { code, stdout } = await captureOutput(() => dispatch(['--version'], env));

    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`frontline-okta-provisioner ${packageVersion}`);
  });

  it('lists every command, the new ones included, for help', async () => {
    const { code, stdout } = await captureOutput(() => dispatch(['help'], env));

    expect(code).toBe(0);
    for (const name of ['serve', 'status', 'explain', 'doctor', 'check', 'dlq'])
      expect(stdout).toContain(`  ${name} `);
  });

  it.each(NAMES)(
    'prints the usage of %s for help <command> and --help, exit 0, without running it',
    async (name) => {
      const viaHelp = await captureOutput(() => dispatch(['help', name], env));
      const viaFlag = await captureOutput(() => dispatch([name, '--help'], env));

      expect(viaHelp.code).toBe(0);
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stdout).toMatch(/Usage: npm run cli -- /);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    },
  );

  it.each(NAMES)('rejects an unknown flag to %s with exit 1 before doing anything', async (name) => {
    const { code, stdout, stderr } = await captureOutput(() => dispatch([name, '--no-such-flag'], env));

    expect(code).toBe(1);
    expect(stderr).toContain("Unknown option '--no-such-flag'");
    expect(stdout).not.toContain('listening on');
  });

  it('answers an unknown command with exit 1 and the command list', async () => {
    const { code, stderr } = await captureOutput(() => dispatch(['stauts'], env));

    expect(code).toBe(1);
    expect(stderr).toContain('Unknown command "stauts"');
    expect(stderr).toContain('  status ');
  });

  it('refuses a log format serve does not have, before starting', async () => {
    const { code, stderr } = await captureOutput(() => dispatch(['serve', '--log-format', 'xml'], env));

    expect(code).toBe(1);
    expect(stderr).toMatch(/^--log-format must be one of pretty, json, not "xml"/);
  });
});
