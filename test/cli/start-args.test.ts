import { createServer } from 'node:net';
import { busyPortMessage, parseStartArgs } from '../../src/cli/start-args';

function parse(argv: string[]) {
  const printed: string[] = [];
  const result = parseStartArgs(argv, {
    out: (t) => printed.push(`out:${t}`),
    err: (t) => printed.push(`err:${t}`),
  });
  return { result, printed: printed.join('\n') };
}

describe('Function: parseStartArgs', () => {
  it('defaults to 8080, 8081 and 8082, and any free port with --once', () => {
    expect(parse([]).result).toEqual({
      once: false,
      verbose: false,
      port: 8080,
      emulatorPort: 8081,
      frontlinePort: 8082,
    });
    expect(parse(['--once']).result).toEqual({
      once: true,
      verbose: false,
      port: 0,
      emulatorPort: 0,
      frontlinePort: 0,
    });
  });

  it('takes --frontline-port, so a busy 8082 no longer ends the walkthrough', () => {
    expect(parse(['--frontline-port', '9082']).result).toMatchObject({ frontlinePort: 9082 });
    expect(parse(['--frontline-port', 'x']).result).toBe(1);
  });

  it('takes --port and --emulator-port', () => {
    expect(parse(['--port', '9000', '--emulator-port', '9001']).result).toMatchObject({
      port: 9000,
      emulatorPort: 9001,
    });
  });

  it('prints help for --help and exits 0 instead of running', () => {
    const { result, printed } = parse(['--help']);

    expect(result).toBe(0);
    expect(printed).toMatch(/^out:Usage: npm start/);
  });

  it.each([[['--prot', '1']], [['--port', 'http']], [['--emulator-port', '70000']]])(
    'rejects %j with exit 1 and the usage',
    (argv) => {
      const { result, printed } = parse(argv);

      expect(result).toBe(1);
      expect(printed).toMatch(/^err:.*\n\nUsage: npm start/);
    },
  );
});

describe('Function: busyPortMessage', () => {
  it('names the port, the server and the flag when a listen fails with EADDRINUSE on that port', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const error = await new Promise<unknown>((resolve) => {
      const second = createServer();
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    holder.close();

    expect(busyPortMessage(error, 'the receiver', port, '--port')).toBe(
      `port ${port} (the receiver) is already in use: stop what listens there or pass --port <another port>`,
    );
    expect(busyPortMessage(error, 'the Okta emulator', port + 1, '--emulator-port')).toBeUndefined();
    expect(busyPortMessage(new Error('other'), 'the receiver', port, '--port')).toBeUndefined();
  });
});
