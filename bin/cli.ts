#!/usr/bin/env node
// `npm run cli -- <command> [...args]`. Each command lives in src/cli/<command>.ts and exports
// `run(args, env) => Promise<exitCode>`; this file only dispatches, so a command's cost is paid only when used.
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: CliCommand }> }> = {
  serve: {
    summary: 'run the event-hook receiver and worker locally',
    load: () => import('../src/cli/serve'),
  },
  setup: {
    summary: 'create or adopt the Frontline SAML app; print console values',
    load: () => import('../src/cli/setup'),
  },
  check: {
    summary: 'check the Frontline app config (exit 2 on drift)',
    load: () => import('../src/cli/check'),
  },
  repair: { summary: 'repair the Frontline app config and verify', load: () => import('../src/cli/repair') },
  hook: { summary: 'hook register --url <https://…/okta/event-hook>', load: () => import('../src/cli/hook') },
  dlq: {
    summary: 'dead letters of serve: list [--json] | replay [--all | <id>…] | purge --yes',
    load: () => import('../src/cli/dlq'),
  },
  reconcile: {
    summary: 'converge group members and app assignments [--dry-run]',
    load: () => import('../src/cli/reconcile'),
  },
};

export type CliCommand = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: npm run cli -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nEvery command takes --json for machine-readable output.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 1;
  }
  const { run } = await command.load();
  return run(args, process.env);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Exit now rather than when the event loop empties: after serve's final line nothing else may run (a drain
    // that timed out can leave calls pending). stdout/stderr writes are synchronous for files, pipes and TTYs.
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
