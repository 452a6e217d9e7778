import { spawn } from 'node:child_process';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';

describe('Okta emulator: control API', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startOktaEmulator();
  });
  afterAll(() => emulator.stop());

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${emulator.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('resets to the seed, serves a state snapshot and the request log without auth', async () => {
    await fetch(`${emulator.url}/api/v1/groups/${DEMO.groupId}/users/${DEMO.users.newHire}`, {
      method: 'PUT',
      headers: { authorization: `SSWS ${emulator.token}` },
    });
    expect(emulator.state.listGroupMemberIds(DEMO.groupId)).toContain(DEMO.users.newHire);
    const requests = (await (await call('GET', '/__emulator/requests')).json()) as {
      path: string;
      bucket: string;
    }[];
    expect(requests[0]).toMatchObject({ bucket: 'groups' });
    expect((await call('POST', '/__emulator/reset')).status).toBe(204);
    expect(emulator.state.listGroupMemberIds(DEMO.groupId)).not.toContain(DEMO.users.newHire);
    const state = (await (await call('GET', '/__emulator/state')).json()) as { groups: { id: string }[] };
    expect(state.groups.map((g) => g.id)).toContain(DEMO.groupId);
  });

  it('resets to the empty seed: no apps, no groups, only the admin user', async () => {
    await call('POST', '/__emulator/reset', { seed: 'empty' });
    const snap = emulator.control.snapshot();
    expect([snap.apps.length, snap.groups.length, snap.users.length]).toEqual([0, 0, 1]);
    await emulator.control.reset('demo');
  });

  it('changes faults and rate limits at runtime', async () => {
    const faults = (await (await call('PUT', '/__emulator/faults', { readErrorRate: 1 })).json()) as {
      readErrorRate: number;
    };
    expect(faults.readErrorRate).toBe(1);
    const res = await fetch(`${emulator.url}/api/v1/users/${DEMO.users.agent}`, {
      headers: { authorization: `SSWS ${emulator.token}` },
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    await call('PUT', '/__emulator/faults', { readErrorRate: 0 });
    const limits = (await (
      await call('PUT', '/__emulator/rate-limits', { limits: { apps: 5 }, credentialShare: 100 })
    ).json()) as {
      limits: Record<string, number>;
      credentialShare: number;
    };
    expect([limits.limits.apps, limits.credentialShare]).toEqual([5, 100]);
    const apps = await fetch(`${emulator.url}/api/v1/apps`, {
      headers: { authorization: `SSWS ${emulator.token}` },
    });
    expect(apps.headers.get('x-rate-limit-limit')).toBe('5');
  });
});

describe('Command: npm run emulator', () => {
  it('prints the listening line first and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bin/emulator.ts', '--port', '0', '--seed', 'empty'],
      {
        cwd: `${__dirname}/../..`,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(firstLine).toMatch(/^Okta emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.split(' ').at(-1)!;
      const res = await fetch(`${url}/api/v1/users/me`, {
        headers: { authorization: 'SSWS 00emulator-local-dev-token' },
      });
      expect(res.status).toBe(200);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
