import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DEMO, startOktaEmulator } from '../../emulator/okta';
import { settingsForOrg } from '../../src/local/org-settings';
import { startLocalRuntime } from '../../src/local/runtime';
import { SqliteWorkQueue } from '../../src/sqlite/work-queue';
import { openLocalDatabase } from '../../src/sqlite/database';
import type { WorkItem } from '../../src/domain/work-item';
import { BATCH, deliveries, orgWith } from './embedded-org';
import { LISTENING, membershipDelivery, postDelivery, serveEnv, spawnServe } from './serve-process';

/** The embedded benchmark's traffic scenarios: hostile uploads, durable enqueue and the receiver's latency. */
export interface StalledResult {
  stalled: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssGrowthMb: number;
  realDeliveryMs: number;
  realDeliveryStatus: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** 200 uploads that announce 10 MB, send a little and stall, with no (or a wrong) secret; then a real delivery. */
export async function runStalledBench(stalled = 200): Promise<StalledResult> {
  const { seed, ids } = orgWith(1, 'stall');
  const emulator = await startOktaEmulator({ seed, rateLimits: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-stall-'));
  const secret = randomBytes(24).toString('base64url');
  const env = serveEnv(
    emulator,
    { groupId: DEMO.groupId, appId: DEMO.appId },
    { OKTA_HOOK_SECRET: secret, FRONTLINE_DATA_DIR: dataDir },
  );
  const serve = spawnServe({ env });
  const sockets: Socket[] = [];
  try {
    const hookUrl = (await serve.waitFor(LISTENING))[1]!;
    const { port } = new URL(hookUrl);
    await postDelivery(hookUrl, secret, deliveries(ids, 'warm')[0]!);
    await new Promise((r) => setTimeout(r, 1_000));
    const before = rssMb(serve.child.pid!);
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < stalled; i += 1) {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST /okta/event-hook HTTP/1.1\r\nHost: x\r\nAuthorization: ${i % 2 ? 'wrong' : ''}\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
      );
      for (let k = 0; k < 4; k += 1) socket.write(chunk);
      sockets.push(socket);
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const started = performance.now();
    const status = await postDelivery(hookUrl, secret, deliveries(ids, 'real')[0]!);
    const realDeliveryMs = performance.now() - started;
    const after = rssMb(serve.child.pid!);
    return {
      stalled,
      rssBeforeMb: before,
      rssAfterMb: after,
      rssGrowthMb: after - before,
      realDeliveryMs,
      realDeliveryStatus: status,
    };
  } finally {
    for (const s of sockets) s.destroy();
    serve.child.kill('SIGTERM');
    await serve.exited;
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface EnqueueResult {
  items: number;
  itemsPerSecond: number;
  deliveries: number;
  receiverP50Ms: number;
  receiverP99Ms: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Durable enqueue: deliveries of 50 committed one transaction each (synchronous=FULL) straight into the store, then
 * the receiver's latency per 50-event delivery over HTTP while the worker drains what it accepted.
 */
export async function runEnqueueBench(items = 20_000, deliveriesCount = 300): Promise<EnqueueResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-enqueue-'));
  const db = openLocalDatabase(dir);
  const queue = new SqliteWorkQueue(db);
  const item = (i: number): WorkItem => ({
    kind: 'converge-user',
    userId: `00uenq${String(i).padStart(14, '0')}`,
    triggers: [{ eventUuid: `enq-${i}`, eventType: 'group.user_membership.add' }],
    source: 'event-hook',
  });
  const started = performance.now();
  for (let i = 0; i < items; i += BATCH) {
    await queue.enqueue(Array.from({ length: BATCH }, (_, j) => item(i + j)));
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });

  const { seed, ids } = orgWith(deliveriesCount * BATCH > 5_000 ? 5_000 : deliveriesCount * BATCH, 'p99');
  const emulator = await startOktaEmulator({ seed, rateLimits: false, requestLogSize: 1_000 });
  const settings = settingsForOrg(emulator, { groupId: DEMO.groupId, appId: DEMO.appId });
  const runtime = await startLocalRuntime({
    settings,
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
  });
  const latencies: number[] = [];
  try {
    for (let d = 0; d < deliveriesCount; d += 1) {
      const slice = Array.from({ length: BATCH }, (_, j) => ids[(d * BATCH + j) % ids.length]!);
      const body = membershipDelivery(
        DEMO.groupId,
        slice.map((userId, j) => ({ uuid: `p99-${d}-${j}`, userId })),
      );
      const t = performance.now();
      const status = await postDelivery(runtime.hookUrl, settings.hookSecret, body);
      latencies.push(performance.now() - t);
      if (status !== 200) throw new Error(`delivery answered ${status}`);
    }
  } finally {
    await runtime.stop(2_000);
    await emulator.stop();
    rmSync(settings.dataDir, { recursive: true, force: true });
  }
  latencies.sort((a, b) => a - b);
  return {
    items,
    itemsPerSecond: items / seconds,
    deliveries: deliveriesCount,
    receiverP50Ms: percentile(latencies, 50),
    receiverP99Ms: percentile(latencies, 99),
  };
}
