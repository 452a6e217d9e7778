import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO, startOktaEmulator, type FaultSettings } from '../../emulator/okta';
import { failure, startHarness } from './helpers';

describe('Okta emulator: fault injection', () => {
  it('fails reads with 500/503 at the read error rate and leaves writes alone', async () => {
    const { emulator, client } = await startHarness({ faults: { readErrorRate: 1 } });
    try {
      const err = await failure(client.userApi.getUser({ userId: DEMO.users.agent }));
      expect([500, 503]).toContain(err.status);
      expect(['E0000009', 'E0000010']).toContain(err.errorCode);
      await client.userApi.updateUser({
        userId: DEMO.users.newHire,
        user: { profile: { userType: 'agent' } },
      });
      expect(emulator.control.requestLog().map((r) => r.cause ?? 'ok')).toEqual(['fault', 'ok']);
    } finally {
      await emulator.stop();
    }
  });

  it('makes no change when a write fails', async () => {
    const { emulator, client } = await startHarness({ faults: { writeErrorRate: 1 } });
    try {
      await failure(client.groupApi.assignUserToGroup({ groupId: DEMO.groupId, userId: DEMO.users.newHire }));
      expect(emulator.state.listGroupMemberIds(DEMO.groupId)).not.toContain(DEMO.users.newHire);
    } finally {
      await emulator.stop();
    }
  });

  it('repeats the same faults for the same randomSeed', async () => {
    const run = async () => {
      const emulator = await startOktaEmulator({ faults: { readErrorRate: 0.5 }, randomSeed: 42 });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) {
          const res = await fetch(`${emulator.url}/api/v1/users/${DEMO.users.agent}`, {
            headers: { authorization: `SSWS ${emulator.token}` },
          });
          statuses.push(res.status);
        }
        return statuses;
      } finally {
        await emulator.stop();
      }
    };
    const first = await run();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await run()).toEqual(first);
  });
});

describe('Okta emulator: hook delivery faults', () => {
  let server: Server;
  let url = '';
  const bodies: { events: { eventType: string; uuid: string }[] }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const challenge = req.headers['x-okta-verification-challenge'];
        if (req.method === 'POST') bodies.push(JSON.parse(Buffer.concat(chunks).toString()).data);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(challenge ? JSON.stringify({ verification: challenge }) : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => void (bodies.length = 0));

  async function withHook(
    faults: Partial<FaultSettings>,
    act: (e: Awaited<ReturnType<typeof startHarness>>) => Promise<void>,
  ) {
    const h = await startHarness({ hooks: { batchWindowMs: 5 } });
    try {
      const hook = await h.client.eventHookApi.createEventHook({
        eventHook: {
          name: 'faulty',
          events: { type: 'EVENT_TYPE', items: ['user.lifecycle.suspend', 'user.lifecycle.unsuspend'] },
          channel: {
            type: 'HTTP',
            version: '1.0.0',
            config: { uri: url, authScheme: { type: 'HEADER', key: 'Authorization', value: 's' } },
          },
        } as never,
      });
      await h.client.eventHookApi.verifyEventHook({ eventHookId: hook.id! });
      h.emulator.control.setFaults(faults);
      await act(h);
      await h.emulator.control.flushHooks();
    } finally {
      await h.emulator.stop();
    }
  }

  it('drops batches at the drop rate and records them as dropped', async () => {
    await withHook({ hookDropRate: 1 }, async (h) => {
      await h.client.userApi.suspendUser({ userId: DEMO.users.agent });
      await h.emulator.control.flushHooks();
      expect(h.emulator.control.deliveries().map((d) => d.fault)).toEqual(['dropped']);
    });
    expect(bodies).toHaveLength(0);
  });

  it('sends batches twice at the duplicate rate', async () => {
    await withHook({ hookDuplicateRate: 1 }, async (h) => {
      await h.client.userApi.suspendUser({ userId: DEMO.users.agent });
    });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]!.events[0]!.uuid).toBe(bodies[1]!.events[0]!.uuid);
  });

  it('holds a batch back and sends it after the next one at the reorder rate', async () => {
    await withHook({ hookReorderRate: 1 }, async (h) => {
      await h.client.userApi.suspendUser({ userId: DEMO.users.agent });
      await new Promise((r) => setTimeout(r, 30)); // let the 5 ms batch window close
      h.emulator.control.setFaults({ hookReorderRate: 0 });
      await h.client.userApi.unsuspendUser({ userId: DEMO.users.agent });
    });
    expect(bodies.map((b) => b.events[0]!.eventType)).toEqual([
      'user.lifecycle.unsuspend',
      'user.lifecycle.suspend',
    ]);
  });
});
