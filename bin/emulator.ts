import { parseArgs } from 'node:util';
import { DEFAULT_EMULATOR_TOKEN, DEMO, startOktaEmulator } from '../emulator/okta';

const USAGE = 'usage: npm run emulator -- [--port <n>] [--seed demo|empty] [--token <t>]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        seed: { type: 'string', default: 'demo' },
        token: { type: 'string', default: DEFAULT_EMULATOR_TOKEN },
        host: { type: 'string', default: '127.0.0.1' },
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
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer 0-65535, got "${values.port}"\n${USAGE}`);
    return 2;
  }
  if (values.seed !== 'demo' && values.seed !== 'empty') {
    console.error(`--seed must be demo or empty, got "${values.seed}"\n${USAGE}`);
    return 2;
  }
  const emulator = await startOktaEmulator({
    port,
    host: values.host,
    seed: values.seed,
    token: values.token,
  });
  console.log(`Okta emulator listening on ${emulator.url}`);
  console.log(`  token:   SSWS ${emulator.token === DEFAULT_EMULATOR_TOKEN ? emulator.token : '(as given)'}`);
  console.log(`  seed:    ${values.seed}`);
  if (values.seed === 'demo') {
    console.log(`  group:   ${DEMO.groupId} (Frontline Agents)`);
    console.log(`  app:     ${DEMO.appId} (Twilio Frontline, SAML 2.0)`);
    console.log(`  realm:   ${DEMO.realmSid}`);
  }
  console.log(`  control: ${emulator.url}/__emulator/state`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
