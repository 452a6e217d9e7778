import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The CLI's commands and its dispatcher. Each command lives in src/cli/<command>.ts and exports
 * `run(args, env) => Promise<exitCode>`, loaded only when used so a command's imports cost only its own runs.
 * Every command answers `--help` (and `help <command>`) with its usage and exit 0, and rejects unknown flags with
 * exit 1 (src/cli/output.ts parseCommandArgs).
 */
export type CliCommand = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

interface CommandEntry {
  summary: string;
  load: () => Promise<{ run: CliCommand }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  serve: {
    summary: 'run the event-hook receiver, queue and worker [--log-format pretty|json]',
    load: () => import('./serve'),
  },
  status: {
    summary: 'event hook, app check, certificate, queue, dead letters, last reconcile (exit 2: attention)',
    load: () => import('./status'),
  },
  explain: {
    summary: 'explain <userId|login>: what the user should have, has, and what a convergence would change',
    load: () => import('./explain'),
  },
  doctor: {
    summary: 'preflight: org URL, credentials, scopes, admin role, Realm SID [--receiver-url <url>]',
    load: () => import('./doctor'),
  },
  setup: {
    summary: 'create or adopt the Frontline SAML app; print console values',
    load: () => import('./setup'),
  },
  check: {
    summary: 'check the Frontline app config (exit 2 on drift)',
    load: () => import('./check'),
  },
  repair: { summary: 'repair the Frontline app config and verify', load: () => import('./repair') },
  cert: {
    summary: 'cert rotate --plan | --generate [--validity-years N] | --activate | --rollback',
    load: () => import('./cert'),
  },
  hook: {
    summary: 'hook register --url <https://…/okta/event-hook> | deactivate',
    load: () => import('./hook'),
  },
  dlq: {
    summary: 'dead letters of serve: list [--json] | replay [--all | <id>…] | purge --yes',
    load: () => import('./dlq'),
  },
  reconcile: {
    summary: 'converge group members and app assignments [--dry-run]',
    load: () => import('./reconcile'),
  },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'Usage: npm run cli -- <command> [options]',
    '       npm run cli -- help <command>      (or <command> --help)',
    '       npm run cli -- --version',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --json for machine-readable output.',
  ].join('\n');
}

/** The package version, from package.json (the one place it is written). */
export function version(): string {
  const text = readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8');
  return String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
}

/** Runs `argv` (without node and the script): a command, `help [command]`, `--help` or `--version`. */
export async function dispatch(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`frontline-okta-provisioner ${version()}\n`);
    return 0;
  }
  if (name === 'help' && args[0] !== undefined) return dispatch([args[0], '--help'], env);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(`${usage()}\n`);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}\n`);
    return 1;
  }
  const { run } = await command.load();
  return run(args, env);
}
