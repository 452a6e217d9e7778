import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO } from '../../emulator/okta';
import { raw, startHarness, type Harness } from './helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/*
 * Okta's event hooks guide: after you create or update an event hook "it may take several minutes" before it
 * delivers events. The emulator models it with `hooks.startDelayMs` (default 0): within the window events go only
 * to the System Log.
 */
describe('Okta emulator: the start delay of a new or changed event hook', () => {
  const START_DELAY_MS = 600;
  let h: Harness;
  let server: Server;
  let uri = '';
  const posted: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const challenge = req.headers['x-okta-verification-challenge'];
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST') {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as Json;
          posted.push(...(body.data.events as Json[]).map((e) => e.eventType as string));
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(challenge ? JSON.stringify({ verification: challenge }) : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    h = await startHarness({ hooks: { batchWindowMs: 10, startDelayMs: START_DELAY_MS } });
  });
  afterAll(async () => {
    await h.emulator.stop();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(async () => {
    await h.emulator.control.reset();
    posted.length = 0;
  });

  const register = async (items: string[]) => {
    const hook = (
      await raw(h.client, 'POST', `${h.emulator.url}/api/v1/eventHooks`, {
        name: 'delayed',
        events: { type: 'EVENT_TYPE', items },
        channel: {
          type: 'HTTP',
          version: '1.0.0',
          config: { uri, authScheme: { type: 'HEADER', key: 'Authorization', value: 'secret' } },
        },
      })
    ).json() as Json;
    await raw(h.client, 'POST', `${h.emulator.url}/api/v1/eventHooks/${hook.id}/lifecycle/verify`);
    return hook;
  };
  const suspendCycle = async () => {
    await h.client.userApi.suspendUser({ userId: DEMO.users.newHire });
    await h.client.userApi.unsuspendUser({ userId: DEMO.users.newHire });
    await h.emulator.control.flushHooks();
  };

  it('delivers nothing within the window after verification, only to the System Log, then delivers', async () => {
    await register(['user.lifecycle.suspend', 'user.lifecycle.unsuspend']);
    await suspendCycle();
    expect(posted).toEqual([]);
    const logged = h.emulator.control.events().map((e) => e.eventType);
    expect(logged).toEqual(expect.arrayContaining(['user.lifecycle.suspend', 'user.lifecycle.unsuspend']));
    await sleep(START_DELAY_MS + 50);
    await suspendCycle();
    expect(posted).toEqual(['user.lifecycle.suspend', 'user.lifecycle.unsuspend']);
  });

  it('starts the window again when the hook is changed', async () => {
    const hook = await register(['user.lifecycle.suspend']);
    await sleep(START_DELAY_MS + 50);
    await raw(h.client, 'PUT', `${h.emulator.url}/api/v1/eventHooks/${hook.id}`, {
      name: 'delayed',
      events: { type: 'EVENT_TYPE', items: ['user.lifecycle.suspend', 'user.lifecycle.unsuspend'] },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: { uri, authScheme: { type: 'HEADER', key: 'Authorization', value: 'secret' } },
      },
    });
    await suspendCycle();
    expect(posted).toEqual([]);
  });
});
