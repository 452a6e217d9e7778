/*
 * System Log catch-up benchmark: every event hook delivery is dropped, so only the catch-up (every interval)
 * hears of the changes. N changes in Okta — users added to the group, removed from it, deactivated — must all
 * converge; reported are the worst delay from a change to its convergence (goal ≤ two intervals) and the calls
 * to the logs bucket per interval while nothing happens (goal 1). The interval is scaled down to seconds; the
 * goals are in intervals. Rate limits are off so the apps bucket does not pace the worker (the pipeline
 * benchmark measures that); logs calls are counted from the emulator's request log.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, startOktaEmulator, type RunningEmulator } from '../../emulator/okta';
import { EVENT_HOOK_NAME } from '../../src/bootstrap/resource-types';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/domain/hook-events';
import { createOktaClient } from '../../src/okta/client';
import { registerEventHook } from '../../src/okta/event-hooks';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime } from '../../src/local/runtime';
import { orgWith, until } from './embedded-org';

export interface CatchupBenchResult {
  intervalSeconds: number;
  changes: { add: number; remove: number; deactivate: number };
  converged: number;
  worstDelayMs: number;
  medianDelayMs: number;
  idleIntervals: number;
  idleLogCallsPerInterval: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCatchupBench(perKind = 10, intervalSeconds = 2): Promise<CatchupBenchResult> {
  const members = orgWith(2 * perKind, 'cm');
  const joiners = orgWith(perKind, 'cj');
  const seed = {
    ...members.seed,
    users: [
      ...(members.seed.users ?? []),
      ...(joiners.seed.users ?? []).filter((u) => joiners.ids.includes(u.id)),
    ],
  };
  const emulator = await startOktaEmulator({ seed, rateLimits: false, requestLogSize: 100_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-catchup-'));
  const secret = randomBytes(24).toString('base64url');
  const runtime = await startLocalRuntime({
    settings: {
      ...settingsForOrg(emulator, { groupId: DEMO.groupId, appId: DEMO.appId }),
      hookSecret: secret,
      dataDir,
      catchupIntervalSeconds: intervalSeconds,
      catchupLookbackSeconds: 60,
    },
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
  });
  try {
    const okta = createOktaClient({
      orgUrl: emulator.url,
      credentials: { kind: 'ssws', token: emulator.token },
    });
    await registerEventHook(okta, {
      name: EVENT_HOOK_NAME,
      url: runtime.hookUrl,
      eventTypes: SUBSCRIBED_EVENT_TYPES,
      authHeader: 'Authorization',
      secret,
    });
    // Start from a converged org: every member assigned (the backstop's plan), then let the catch-up settle.
    await runtime.backstop.runOnce();
    await runtime.idle(60_000);
    await sleep(2 * intervalSeconds * 1000);
    await runtime.idle(60_000);
    emulator.control.setFaults({ hookDropRate: 1 });

    const [removers, deactivated] = [members.ids.slice(0, perKind), members.ids.slice(perKind)];
    const want = new Map<string, boolean>([
      ...joiners.ids.map((id): [string, boolean] => [id, true]),
      ...members.ids.map((id): [string, boolean] => [id, false]),
    ]);
    const changedAt = new Map<string, number>();
    const api = (method: string, path: string) =>
      fetch(`${emulator.url}${path}`, { method, headers: { Authorization: `SSWS ${emulator.token}` } });
    for (let i = 0; i < perKind; i += 1) {
      const [j, r, d] = [joiners.ids[i]!, removers[i]!, deactivated[i]!];
      changedAt.set(j, Date.now());
      await api('PUT', `/api/v1/groups/${DEMO.groupId}/users/${j}`);
      changedAt.set(r, Date.now());
      await api('DELETE', `/api/v1/groups/${DEMO.groupId}/users/${r}`);
      changedAt.set(d, Date.now());
      await api('POST', `/api/v1/users/${d}/lifecycle/deactivate`);
      // Changes spread over an interval, so some land just after a poll (the worst case).
      await sleep((intervalSeconds * 1000) / perKind);
    }
    const convergedAt = new Map<string, number>();
    await until(
      () => {
        const assigned = new Set(emulator.state.listAppUsers(DEMO.appId).map((u) => u.id));
        const now = Date.now();
        for (const [id, yes] of want)
          if (!convergedAt.has(id) && assigned.has(id) === yes) convergedAt.set(id, now);
        return convergedAt.size === want.size;
      },
      20 * intervalSeconds * 1000,
    );
    const delays = [...convergedAt].map(([id, at]) => at - (changedAt.get(id) ?? at)).sort((a, b) => a - b);

    await runtime.idle(30_000);
    await sleep(2 * intervalSeconds * 1000);
    emulator.control.clearRequestLog();
    const idleIntervals = 5;
    await sleep(idleIntervals * intervalSeconds * 1000);
    const logCalls = emulator.control.requestLog().filter((r) => r.path.startsWith('/api/v1/logs')).length;
    return {
      intervalSeconds,
      changes: { add: perKind, remove: perKind, deactivate: perKind },
      converged: convergedAt.size,
      worstDelayMs: delays.at(-1) ?? Number.NaN,
      medianDelayMs: delays[Math.floor(delays.length / 2)] ?? Number.NaN,
      idleIntervals,
      idleLogCallsPerInterval: logCalls / idleIntervals,
    };
  } finally {
    await runtime.stop(2_000);
    await (emulator as RunningEmulator).stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function catchupMarkdown(r: CatchupBenchResult): string {
  const total = r.changes.add + r.changes.remove + r.changes.deactivate;
  const intervalMs = r.intervalSeconds * 1000;
  return [
    '## System Log catch-up: every hook delivery dropped',
    '',
    `${total} changes in Okta (${r.changes.add} added to the group, ${r.changes.remove} removed, ${r.changes.deactivate} deactivated), spread over one interval, with the emulator dropping every event hook delivery; \`serve\` polls the System Log every ${r.intervalSeconds} s (scaled down from the default 60 s; the goals are in intervals).`,
    '',
    '| measure | result | goal |',
    '| --- | --- | --- |',
    `| converged | ${r.converged} / ${total} | all |`,
    `| worst delay, change → converged | ${r.worstDelayMs} ms = ${(r.worstDelayMs / intervalMs).toFixed(2)} intervals | ≤ 2 intervals |`,
    `| median delay | ${r.medianDelayMs} ms = ${(r.medianDelayMs / intervalMs).toFixed(2)} intervals | — |`,
    `| logs-bucket calls per interval when idle (${r.idleIntervals} intervals) | ${r.idleLogCallsPerInterval} | 1 |`,
    '',
  ].join('\n');
}
