import { EXIT, parseCommandArgs, UsageError } from './output';

/** `npm start`'s options (bin/start.ts). Parsed strictly like every command's: an unknown flag is an error. */
export interface StartOptions {
  once: boolean;
  verbose: boolean;
  /** The receiver's port. @default 8080 (0 with --once: any free port) */
  port: number;
  /** The Okta emulator's port. @default 8081 (0 with --once) */
  emulatorPort: number;
  /** The Frontline emulator's port. @default 8082 (0 with --once) */
  frontlinePort: number;
}

export const START_HELP = `Usage: npm start [-- --once] [--verbose] [--port 8080] [--emulator-port 8081] [--frontline-port 8082]

The whole story on one laptop: the Okta emulator with a demo org, the local receiver, queue and worker, the event
hook registered and verified through the Okta API, one user onboarded and signed in to Frontline through SAML, one
offboarded (their session ended, their sign-in refused). Then it keeps running,
prints one line per convergence, and suggests commands to try.
  --once           exit after the walkthrough (0 when it worked)
  --verbose        show the structured logs
  --port           the receiver's port (default 8080)
  --emulator-port  the Okta emulator's port (default 8081)
  --frontline-port the Frontline emulator's port (default 8082)`;

/** The options, or the exit code when the arguments asked for help or were wrong (the text is printed). */
export function parseStartArgs(
  argv: string[],
  print: { out: (text: string) => void; err: (text: string) => void },
): StartOptions | number {
  try {
    const { values } = parseCommandArgs(argv, {
      once: { type: 'boolean' },
      verbose: { type: 'boolean' },
      port: { type: 'string' },
      'emulator-port': { type: 'string' },
      'frontline-port': { type: 'string' },
    });
    if (values.help) {
      print.out(START_HELP);
      return EXIT.ok;
    }
    const once = values.once === true;
    return {
      once,
      verbose: values.verbose === true,
      port: portOf('--port', values.port, once ? 0 : 8080),
      emulatorPort: portOf('--emulator-port', values['emulator-port'], once ? 0 : 8081),
      frontlinePort: portOf('--frontline-port', values['frontline-port'], once ? 0 : 8082),
    };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    print.err(`${err.message}\n\n${START_HELP}`);
    return EXIT.error;
  }
}

function portOf(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new UsageError(`${flag} must be a port number from 0 to 65535`);
  return port;
}

/** A listen that failed because the port is taken, as one sentence with the way out. */
export function busyPortMessage(err: unknown, what: string, port: number, flag: string): string | undefined {
  const e = err as (NodeJS.ErrnoException & { port?: number }) | undefined;
  // listen's error carries the port it tried: it tells which of the two servers could not start.
  if (e?.code !== 'EADDRINUSE' || e.port !== port) return undefined;
  return `port ${port} (${what}) is already in use: stop what listens there or pass ${flag} <another port>`;
}
