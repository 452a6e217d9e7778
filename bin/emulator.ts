import { parseArgs } from 'node:util';
import {
  DEFAULT_FRONTLINE_ACCOUNT_SID,
  DEFAULT_FRONTLINE_AUTH_TOKEN,
  startFrontlineEmulator,
  type RunningFrontlineEmulator,
} from '../emulator/frontline';
import { DEFAULT_EMULATOR_TOKEN, DEMO, startOktaEmulator, type RunningEmulator } from '../emulator/okta';

const USAGE =
  'usage: npm run emulator -- [--port <n>] [--seed demo|empty] [--token <t>] ' +
  '[--frontline] [--frontline-port <n>] [--frontline-only]';

/** A port flag's value: an integer 0-65535, 0 meaning any free port. */
function portOf(flag: string, value: string): number | string {
  const port = Number(value);
  return Number.isInteger(port) && port >= 0 && port <= 65535
    ? port
    : `--${flag} must be an integer 0-65535, got "${value}"`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        seed: { type: 'string', default: 'demo' },
        token: { type: 'string', default: DEFAULT_EMULATOR_TOKEN },
        host: { type: 'string', default: '127.0.0.1' },
        frontline: { type: 'boolean', default: false },
        'frontline-port': { type: 'string' },
        'frontline-only': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = portOf('port', values.port);
  const frontlinePort = portOf('frontline-port', values['frontline-port'] ?? '0');
  if (typeof port === 'string' || typeof frontlinePort === 'string') {
    console.error(`${typeof port === 'string' ? port : frontlinePort}\n${USAGE}`);
    return 2;
  }
  if (values.seed !== 'demo' && values.seed !== 'empty') {
    console.error(`--seed must be demo or empty, got "${values.seed}"\n${USAGE}`);
    return 2;
  }
  const withOkta = !values['frontline-only'];
  const withFrontline =
    values.frontline || values['frontline-only'] || values['frontline-port'] !== undefined;

  // Listening before anything is printed: a caller may signal as soon as it reads the lines.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let okta: RunningEmulator | undefined;
  let frontline: RunningFrontlineEmulator | undefined;
  try {
    if (withOkta) {
      okta = await startOktaEmulator({ port, host: values.host, seed: values.seed, token: values.token });
      printOkta(okta, values.seed);
    }
    if (withFrontline) {
      frontline = await startFrontlineEmulator({ port: frontlinePort, host: values.host });
      printFrontline(frontline, values.seed === 'demo' ? DEMO.realmSid : '<realmSid>');
    }
    await stopped;
  } finally {
    await Promise.all([okta?.stop(), frontline?.stop()]);
  }
  return 0;
}

function printOkta(emulator: RunningEmulator, seed: string): void {
  console.log(`Okta emulator listening on ${emulator.url}`);
  console.log(`  token:   SSWS ${emulator.token === DEFAULT_EMULATOR_TOKEN ? emulator.token : '(as given)'}`);
  console.log(`  seed:    ${seed}`);
  if (seed === 'demo') {
    console.log(`  group:   ${DEMO.groupId} (Frontline Agents)`);
    console.log(`  app:     ${DEMO.appId} (Twilio Frontline, SAML 2.0)`);
    console.log(`  realm:   ${DEMO.realmSid}`);
  }
  console.log(`  control: ${emulator.url}/__emulator/state`);
}

function printFrontline(emulator: RunningFrontlineEmulator, realm: string): void {
  // The default account SID and auth token only open the local emulator: they are not secrets.
  console.log(`Frontline emulator listening on ${emulator.url}`);
  console.log(`  account: ${DEFAULT_FRONTLINE_ACCOUNT_SID} / ${DEFAULT_FRONTLINE_AUTH_TOKEN}`);
  console.log(`  users:   ${emulator.url}/v1/Users/{identity}`);
  console.log(`  sso:     PUT ${emulator.url}/__emulator/sso/${realm} {"issuer","ssoUrl","certificate"}`);
  console.log(`  sign-in: POST ${emulator.url}/v2/saml2/authenticate/${realm} (SAMLResponse, RelayState)`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
