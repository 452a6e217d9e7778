/*
 * Reconcile cost with nothing to change: N group members, all already agents and assigned. The scheduled run
 * (app check + full reconcile plan) runs in a child process so its peak memory is its own, against the emulator in
 * this process (rate limits off). Okta calls are counted from the emulator's request log.
 *
 *   npx tsx scripts/bench/reconcile.ts [N]      prints the markdown section
 */
import { fork } from 'node:child_process';
import { DEMO, startOktaEmulator, type SeedData } from '../../emulator/okta';
import { desiredAppConfig } from '../../src/domain/app-config';
import { runScheduled } from '../../src/reconcile/scheduled';
import type { MetricsSink } from '../../src/reconcile/run';
import { resolvePolicy } from '../../src/domain/policy';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { createOktaClient } from '../../src/okta/client';
import type { WorkItem } from '../../src/domain/work-item';
import { onboardedAgents } from './agent-org';

const APP_ID = '0oabenchfrontline000';
const GROUP_ID = '00gbenchfrontline000';
export const MEMORY_GOAL_MB = 256;

export interface ReconcileBenchResult {
  members: number;
  calls: number;
  bound: number;
  callsByKind: Record<string, number>;
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  baselineRssMb: number;
  plannedChanges: number;
  /** Calls per rate-limit bucket (as the emulator meters them) and the per-minute ceiling one credential gets. */
  buckets: { bucket: string; calls: number; ceiling: number }[];
  rateLimited: number;
}

/** Paid-org per-minute limits of the buckets the run uses, and Okta's default 50% share for one credential. */
const BENCH_LIMITS: Record<string, number> = { groups: 500, apps: 100, 'apps-item': 600 };
const CREDENTIAL_SHARE = 50;

interface ChildReport {
  baselineRssMb: number;
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  plannedChanges: number;
  members: number;
}

function seed(n: number): SeedData {
  return onboardedAgents(n, APP_ID, GROUP_ID);
}

export function callBound(n: number): number {
  return Math.ceil(n / 200) + Math.ceil(n / 500) + 3;
}

export async function runReconcileBench(options: { members?: number } = {}): Promise<ReconcileBenchResult> {
  const n = options.members ?? 10_000;
  // Real per-minute windows and the default 50% per-credential share: the run must fit one credential's share.
  const emu = await startOktaEmulator({
    seed: seed(n),
    rateLimits: { windowMs: 60_000, limits: BENCH_LIMITS, credentialShare: CREDENTIAL_SHARE },
    requestLogSize: 100_000,
  });
  try {
    emu.control.clearRequestLog();
    const report = await new Promise<ChildReport>((resolve, reject) => {
      const child = fork(__filename, ['--child'], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, BENCH_ORG_URL: emu.url, BENCH_TOKEN: emu.token },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.once('message', (m) => resolve(m as ChildReport));
      child.once('error', reject);
      child.once('exit', (code) => {
        if (code !== 0) reject(new Error(`reconcile bench child exited with ${code}`));
      });
    });
    const log = emu.control.requestLog();
    const callsByKind: Record<string, number> = {};
    const perBucket: Record<string, number> = {};
    for (const entry of log) perBucket[entry.bucket] = (perBucket[entry.bucket] ?? 0) + 1;
    for (const entry of log) {
      const kind = `${entry.method} ${entry.path.replace(/\/00[gu]\w+/g, '/{id}').replace(/\/0oa\w+/g, '/{appId}')}`;
      callsByKind[kind] = (callsByKind[kind] ?? 0) + 1;
    }
    return {
      members: n,
      calls: log.length,
      bound: callBound(n),
      callsByKind,
      wallMs: report.wallMs,
      peakRssMb: report.peakRssMb,
      peakHeapMb: report.peakHeapMb,
      baselineRssMb: report.baselineRssMb,
      plannedChanges: report.plannedChanges,
      buckets: Object.entries(perBucket).map(([bucket, calls]) => ({
        bucket,
        calls,
        ceiling: Math.floor(((BENCH_LIMITS[bucket] ?? 600) * CREDENTIAL_SHARE) / 100),
      })),
      rateLimited: log.filter((e) => e.status === 429).length,
    };
  } finally {
    await emu.stop();
  }
}

/** The measured part, in the child: one scheduled run (app check + plan), nothing enqueued when nothing changed. */
async function child(): Promise<void> {
  const client = createOktaClient({
    orgUrl: process.env.BENCH_ORG_URL ?? '',
    credentials: { kind: 'ssws', token: process.env.BENCH_TOKEN ?? '' },
  });
  // What the process holds before the run (Node, tsx, the Okta SDK), to tell the run's own share.
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const items: WorkItem[] = [];
  const metrics: MetricsSink = { addMetric: () => undefined };
  const start = performance.now();
  const summary = await runScheduled(
    {
      okta: createGuardDirectory(client),
      metrics,
      queue: { enqueue: async (batch) => void items.push(...batch) },
    },
    {
      appId: APP_ID,
      policy: resolvePolicy({ groupIds: [GROUP_ID] }),
      app: { rules: desiredAppConfig(DEMO.realmSid), mode: 'report', lastConfirmedFingerprint: undefined },
    },
  );
  const wallMs = performance.now() - start;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  const report: ChildReport = {
    baselineRssMb,
    wallMs,
    // maxRSS is in kilobytes: the process's high-water mark, whatever the sampling missed.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 2 ** 20,
    plannedChanges:
      summary.plan.setUserType.length + summary.plan.assign.length + summary.plan.unassign.length,
    members: summary.plan.counts.members,
  };
  process.send?.(report);
}

export function reconcileMarkdown(r: ReconcileBenchResult): string {
  const ok = (pass: boolean) => (pass ? 'met' : '**not met**');
  const rows = Object.entries(r.callsByKind)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `| \`${kind}\` | ${count} |`);
  return [
    '## Reconcile with nothing to change',
    '',
    `\`scripts/bench/reconcile.ts\`: ${r.members.toLocaleString('en-US')} group members, all already \`userType = "agent"\` and`,
    'assigned; one scheduled run (app check + full reconcile plan) in a child process against the emulator, with',
    `paid-org per-minute limits and the default ${CREDENTIAL_SHARE}% per-credential share on. Calls are counted from the emulator request log.`,
    '',
    '| measure | result | goal |',
    '|---|---|---|',
    `| Okta calls | ${r.calls} | ≤ ⌈N/200⌉ + ⌈N/500⌉ + 3 = ${r.bound} (${ok(r.calls <= r.bound)}) |`,
    `| planned changes | ${r.plannedChanges} | 0 |`,
    `| Okta calls answered 429 | ${r.rateLimited} | 0 |`,
    ...r.buckets.map(
      (b) =>
        `| \`${b.bucket}\` bucket calls | ${b.calls} | ≤ ${b.ceiling}/min, one credential's ${CREDENTIAL_SHARE}% share (${ok(b.calls <= b.ceiling)}) |`,
    ),
    `| wall time | ${(r.wallMs / 1000).toFixed(2)} s | — |`,
    `| peak RSS (child, maxRSS) | ${r.peakRssMb.toFixed(0)} MB | < ${MEMORY_GOAL_MB} MB (${ok(r.peakRssMb < MEMORY_GOAL_MB)}) |`,
    `| RSS before the run (Node + tsx + Okta SDK loaded) | ${r.baselineRssMb.toFixed(0)} MB | — |`,
    `| peak JS heap (sampled) | ${r.peakHeapMb.toFixed(0)} MB | — |`,
    '',
    '| call | count |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module) {
  if (process.argv.includes('--child')) {
    child().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
      },
    );
  } else {
    const n = Number(process.argv[2] ?? 10_000);
    runReconcileBench({ members: n }).then(
      (r) => {
        console.log(reconcileMarkdown(r));
        process.exit(0);
      },
      (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
      },
    );
  }
}
