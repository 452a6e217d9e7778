import type { WorkQueue } from '../../src/domain/work-queue';
import type { WorkItem } from '../../src/domain/work-item';
import type { MetricsSink } from '../../src/reconcile/run';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, frontlineSamlApp, type SeedData, type SeedUser, type UserStatus } from '../../emulator/okta';
import { startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';

export const APP_ID = '0oafrontlineguard000';
export const GROUP_ID = '00gfrontlineguard000';

export function clientFor(emu: RunningEmulator) {
  return createOktaClient({ orgUrl: emu.url, credentials: { kind: 'ssws', token: emu.token } });
}

export function envFor(
  emu: RunningEmulator,
  stateFile: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    OKTA_ORG_URL: emu.url,
    OKTA_API_TOKEN: emu.token,
    FRONTLINE_GROUP_ID: DEMO.groupId,
    FRONTLINE_APP_ID: DEMO.appId,
    FRONTLINE_REALM_SID: DEMO.realmSid,
    FRONTLINE_STATE_FILE: stateFile,
    // The confirmed certificates live in the local database; one per state file keeps tests apart.
    FRONTLINE_DATA_DIR: `${stateFile}.data`,
    ...extra,
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'guard-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Captures what a CLI command prints (stdout and stderr) while it runs. */
export async function captureOutput(
  fn: () => Promise<number>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await fn();
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export interface OrgUser {
  status?: UserStatus;
  userType?: string | null;
  inGroup?: boolean;
  assigned?: boolean;
}

const pad = (n: number) => `00u${String(n).padStart(17, '0')}`;

/** An org with the Frontline app, its group and `users` (ids 00u000…0, 00u000…1, …), for reconcile tests. */
export function reconcileSeed(users: OrgUser[]): SeedData {
  const seedUsers: SeedUser[] = users.map((u, i) => ({
    id: pad(i),
    status: u.status ?? 'ACTIVE',
    profile: {
      login: `user${i}@example.com`,
      email: `user${i}@example.com`,
      firstName: 'User',
      lastName: String(i),
      ...(u.userType ? { userType: u.userType } : {}),
    },
  }));
  return {
    users: seedUsers,
    groups: [{ id: GROUP_ID, name: 'Frontline agents' }],
    memberships: { [GROUP_ID]: users.flatMap((u, i) => (u.inGroup === false ? [] : [pad(i)])) },
    apps: [frontlineSamlApp({ id: APP_ID, realmSid: DEMO.realmSid, kid: 'guard-test-kid' })],
    appUsers: users.flatMap((u, i) => (u.assigned ? [{ appId: APP_ID, userId: pad(i) }] : [])),
  };
}

export const userId = pad;

/** The worker queue, in memory: what a scheduled run enqueued. */
export class MemoryQueue implements WorkQueue {
  public readonly items: WorkItem[] = [];
  public enqueue(items: readonly WorkItem[]): Promise<void> {
    this.items.push(...items);
    return Promise.resolve();
  }
}

/** The last value of each metric a run published. */
export class RecordingMetrics implements MetricsSink {
  public readonly values = new Map<string, number>();
  public addMetric(name: string, _unit: string, value: number): void {
    this.values.set(name, value);
  }
}

/**
 * A raw admin call to the emulator (the API token, JSON), for the org changes a scenario needs that the code under
 * test does not make. Resolves to the answer's JSON, undefined for a 204; throws on any other failure.
 */
export async function adminCall(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ id: string } | undefined> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `SSWS ${emu.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  return res.status === 204 ? undefined : ((await res.json()) as { id: string });
}

/**
 * A suite's org on the emulator (no rate limits) and a scratch folder, started once and stopped after the suite;
 * with `resetEachTest` the org goes back to its seed before each test. `use` receives them when started, so a suite
 * keeps its own names for them.
 */
export function useEmulatorOrg(
  options: { seed: 'demo' | 'empty'; resetEachTest: boolean },
  use: (emu: RunningEmulator, tmp: ReturnType<typeof tempDir>) => void,
): void {
  let emu: RunningEmulator | undefined;
  let tmp: ReturnType<typeof tempDir> | undefined;
  beforeAll(async () => {
    const started = await startOktaEmulator({ seed: options.seed, rateLimits: false });
    const dir = tempDir();
    emu = started;
    tmp = dir;
    use(started, dir);
  });
  afterAll(async () => {
    await emu?.stop();
    tmp?.cleanup();
  });
  if (options.resetEachTest) beforeEach(async () => emu?.control.reset(options.seed));
}
