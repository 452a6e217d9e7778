/*
 * The install-day record (src/reconcile/record-identities.ts): N app users, nothing on record; serve's start records
 * every app user's Frontline identity from one listing of the app's users into serve's SQLite store. Runs in a child
 * process so its peak memory is its own, against the emulator in this process with paid-org per-minute limits and
 * the default 50% per-credential share on. Okta calls are counted from the emulator's request log. A second run over
 * the same store (a restart: nothing changed) shows what an idle record costs.
 *
 *   npx tsx scripts/bench/install-record.ts [N]      prints the markdown section
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOktaEmulator, type SeedData } from '../../emulator/okta';
import { createOktaClient } from '../../src/okta/client';
import { createGuardDirectory } from '../../src/okta/guard-directory';
import { recordAppListing, type AppListingRecord } from '../../src/reconcile/record-identities';
import { openLocalDatabase } from '../../src/sqlite/database';
import { sqliteIdentityStore } from '../../src/sqlite/identity-store';
import type { FrontlineUsers } from '../../src/twilio/users';
import { onboardedAgents } from './agent-org';

const APP_ID = '0oabenchinstall00000';
export const INSTALL_MEMORY_GOAL_MB = 256;
/** Paid-org per-minute limit of the apps bucket, and Okta's default 50% share for one credential. */
const APPS_LIMIT = 100;
const CREDENTIAL_SHARE = 50;

interface RunReport {
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  baselineRssMb: number;
  record: AppListingRecord;
}

export interface InstallRecordBenchResult {
  appUsers: number;
  first: RunReport & { calls: number; callsByKind: Record<string, number>; rateLimited: number };
  again: RunReport & { calls: number };
  /** ⌈N/500⌉: one page of 500 app users per call, nothing per user. */
  bound: number;
  ceiling: number;
}

function seed(n: number): SeedData {
  return onboardedAgents(n, APP_ID);
}

function runChild(env: Record<string, string>): Promise<RunReport> {
  return new Promise<RunReport>((resolve, reject) => {
    const child = fork(__filename, ['--child'], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve(m as RunReport));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`install-record bench child exited with ${code}`));
    });
  });
}

export async function runInstallRecordBench(
  options: { appUsers?: number } = {},
): Promise<InstallRecordBenchResult> {
  const n = options.appUsers ?? 10_000;
  const emu = await startOktaEmulator({
    seed: seed(n),
    rateLimits: { windowMs: 60_000, limits: { apps: APPS_LIMIT }, credentialShare: CREDENTIAL_SHARE },
    requestLogSize: 100_000,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-install-record-'));
  const env = { BENCH_ORG_URL: emu.url, BENCH_TOKEN: emu.token, BENCH_DATA_DIR: dataDir };
  try {
    emu.control.clearRequestLog();
    const first = await runChild(env);
    const log = emu.control.requestLog();
    const callsByKind: Record<string, number> = {};
    for (const entry of log) {
      const kind = `${entry.method} ${entry.path.replace(/\/0oa\w+/g, '/{appId}')}`;
      callsByKind[kind] = (callsByKind[kind] ?? 0) + 1;
    }
    emu.control.clearRequestLog();
    const again = await runChild(env);
    return {
      appUsers: n,
      first: {
        ...first,
        calls: log.length,
        callsByKind,
        rateLimited: log.filter((e) => e.status === 429).length,
      },
      again: { ...again, calls: emu.control.requestLog().length },
      bound: Math.ceil(n / 500),
      ceiling: Math.floor((APPS_LIMIT * CREDENTIAL_SHARE) / 100),
    };
  } finally {
    await emu.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The measured part, in the child: serve's start-time record into serve's own store. */
async function child(): Promise<void> {
  const client = createOktaClient({
    orgUrl: process.env.BENCH_ORG_URL ?? '',
    credentials: { kind: 'ssws', token: process.env.BENCH_TOKEN ?? '' },
  });
  const db = openLocalDatabase(process.env.BENCH_DATA_DIR ?? '');
  const identities = sqliteIdentityStore(db);
  // Frontline is on (a credential is configured), but recording calls Twilio for nothing.
  const users: FrontlineUsers = {
    get: () => Promise.reject(new Error('the record never calls Twilio')),
    update: () => Promise.reject(new Error('the record never calls Twilio')),
  };
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const start = performance.now();
  const record = await recordAppListing(createGuardDirectory(client), APP_ID, {
    users: async () => users,
    identities,
  });
  const wallMs = performance.now() - start;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  db.close();
  if (!record) throw new Error('nothing recorded: Frontline offboarding was off');
  const report: RunReport = {
    wallMs,
    // maxRSS is in kilobytes: the process's high-water mark, whatever the sampling missed.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 2 ** 20,
    baselineRssMb,
    record,
  };
  process.send?.(report);
}

export function installRecordMarkdown(r: InstallRecordBenchResult): string {
  const ok = (pass: boolean) => (pass ? 'met' : '**not met**');
  const { first, again } = r;
  return [
    '## Install-day record',
    '',
    `\`scripts/bench/install-record.ts\`: ${r.appUsers.toLocaleString('en-US')} app users, nothing on record; serve's start`,
    "records every app user's Frontline identity (the app username) from one listing of the app's users into its",
    'SQLite store, in a child process against the emulator with the paid-org apps-bucket limit and the default',
    `${CREDENTIAL_SHARE}% per-credential share on. Then the same again over the filled store (a restart).`,
    '',
    '| measure | first run | again (nothing changed) | goal |',
    '|---|---|---|---|',
    `| Okta calls | ${first.calls} | ${again.calls} | ≤ ⌈N/500⌉ = ${r.bound}, no per-user call (${ok(first.calls <= r.bound && again.calls <= r.bound)}) |`,
    `| \`apps\` bucket calls | ${first.calls} | ${again.calls} | ≤ ${r.ceiling}/min, one credential's share (${ok(first.calls <= r.ceiling)}) |`,
    `| Okta calls answered 429 | ${first.rateLimited} | — | 0 |`,
    `| pages listed | ${first.record.pages} | ${again.record.pages} | — |`,
    `| app users listed | ${first.record.listed} | ${again.record.listed} | N |`,
    `| identities recorded | ${first.record.recorded} | ${again.record.recorded} | N, then 0 |`,
    `| wall time | ${(first.wallMs / 1000).toFixed(2)} s | ${(again.wallMs / 1000).toFixed(2)} s | — |`,
    `| peak RSS (child, maxRSS) | ${first.peakRssMb.toFixed(0)} MB | ${again.peakRssMb.toFixed(0)} MB | < ${INSTALL_MEMORY_GOAL_MB} MB (${ok(first.peakRssMb < INSTALL_MEMORY_GOAL_MB)}) |`,
    `| RSS before the run (Node + tsx + Okta SDK loaded) | ${first.baselineRssMb.toFixed(0)} MB | ${again.baselineRssMb.toFixed(0)} MB | — |`,
    `| peak JS heap (sampled) | ${first.peakHeapMb.toFixed(0)} MB | ${again.peakHeapMb.toFixed(0)} MB | — |`,
    '',
    '| call (first run) | count |',
    '|---|---|',
    ...Object.entries(first.callsByKind).map(([kind, count]) => `| \`${kind}\` | ${count} |`),
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
    runInstallRecordBench({ appUsers: Number(process.argv[2] ?? 10_000) }).then(
      (r) => {
        console.log(installRecordMarkdown(r));
        process.exit(0);
      },
      (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
      },
    );
  }
}
