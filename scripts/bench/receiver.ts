/*
 * Receiver benchmark: bundle size and module init time of the event-hook Lambda beside a bundle that also loads
 * the Okta SDK, and in-process latency for 1- and 100-event deliveries.
 *
 *   npx tsx scripts/bench/receiver.ts        prints a markdown section; exits 1 if a goal is missed
 *
 * `runReceiverBench()` is what the main bench (`npm run bench`) includes in docs/benchmarks.md.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { loadReceiverConfig } from '../../src/receiver/config';
import { createEventHookHandler } from '../../src/receiver/lambda-handler';

const ROOT = resolve(__dirname, '..', '..');
export const RECEIVER_ENTRY = join(ROOT, 'lambdas', 'event-hook.ts');
/** The limit: "≤ 1 MB". Taken as 1 MiB, the unit the body limit uses too. */
export const BUNDLE_LIMIT_BYTES = 1024 * 1024;
const INIT_RUNS = 15;
const REQUIRED_INIT_SPEEDUP = 3;

/** The settings a Lambda deployment bundles with: minified, Node 20, CommonJS, every dependency included. */
const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  metafile: true,
  write: false,
  logLevel: 'silent',
};

export interface Bundle {
  code: string;
  bytes: number;
  metafile: Metafile;
}

async function bundle(options: BuildOptions): Promise<Bundle> {
  const result = await build({ ...BUNDLE_OPTIONS, ...options });
  const output = result.outputFiles?.[0];
  if (!output) throw new Error('esbuild produced no output');
  return {
    code: output.text,
    bytes: output.contents.byteLength,
    metafile: result.metafile ?? { inputs: {}, outputs: {} },
  };
}

/** The receiver Lambda exactly as deployed. */
export function bundleReceiver(): Promise<Bundle> {
  return bundle({ entryPoints: [RECEIVER_ENTRY], outfile: 'event-hook.js' });
}

/** The same receiver with the Okta SDK loaded too: what the receiver would cost if it shared the worker's code. */
export function bundleReceiverWithOktaSdk(): Promise<Bundle> {
  return bundle({
    stdin: {
      contents: "require('./lambdas/event-hook.ts');\nrequire('@okta/okta-sdk-nodejs');\n",
      resolveDir: ROOT,
      sourcefile: 'receiver-with-okta-sdk.js',
      loader: 'js',
    },
    outfile: 'receiver-with-okta-sdk.js',
  });
}

export interface LatencyResult {
  eventsPerDelivery: number;
  invocations: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ReceiverBenchResult {
  node: string;
  receiverBundleBytes: number;
  oktaBundleBytes: number;
  bundleLimitBytes: number;
  initRuns: number;
  /** Median time to `require` the bundle in a fresh Node process (module init, no invocation). */
  receiverInitMs: number;
  oktaInitMs: number;
  initSpeedup: number;
  latency: LatencyResult[];
  goals: { bundleWithinLimit: boolean; initAtLeast3xFaster: boolean };
}

const median = (values: number[]): number => percentile(values, 50);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const BENCH_ENV = {
  FRONTLINE_GROUP_ID: '00gBenchGroup',
  FRONTLINE_APP_ID: '0oaBenchApp',
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/bench.fifo',
  HOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench',
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** Time to `require` a bundle, measured inside a fresh process so Node's own start-up is not counted. */
function initMillis(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const out = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...BENCH_ENV },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`requiring ${file} failed: ${out.stderr.slice(0, 500)}`);
  return Number(out.stdout);
}

function logEvent(n: number, userId: string) {
  return {
    uuid: `bench-${n}-${Math.random().toString(36).slice(2)}`,
    published: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString(),
    eventType: 'group.user_membership.add',
    version: '0',
    severity: 'INFO',
    actor: { id: '00uAdmin', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' },
    outcome: { result: 'SUCCESS', reason: null },
    target: [
      {
        id: userId,
        type: 'User',
        alternateId: `${userId}@example.com`,
        displayName: userId,
        detailEntry: null,
      },
      { id: BENCH_ENV.FRONTLINE_GROUP_ID, type: 'UserGroup', alternateId: 'unknown', displayName: 'Agents' },
    ],
    transaction: { type: 'WEB', id: 'tx', detail: {} },
    debugContext: { debugData: { requestUri: '/api/v1/groups/x/users/y' } },
  };
}

async function measureLatency(eventsPerDelivery: number, invocations: number): Promise<LatencyResult> {
  const secret = 'bench-secret-0123456789';
  // Stand-ins for the AWS clients: answer at once, so what is measured is the receiver's own work.
  const sqs = { send: async () => ({ Successful: [], Failed: [] }) } as unknown as SQSClient;
  const secretsManager = {
    send: async () => ({ SecretString: JSON.stringify({ current: secret }) }),
  } as unknown as SecretsManagerClient;
  const handler = createEventHookHandler(loadReceiverConfig(BENCH_ENV), {
    sqs,
    secretsManager,
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
  });
  const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 3000 } as unknown as Context;
  const deliveryFor = (round: number) => ({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/okta/event-hook',
    rawQueryString: '',
    headers: { authorization: secret, 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: '/okta/event-hook' }, stage: '$default' },
    body: JSON.stringify({
      eventType: 'com.okta.event_hook',
      eventId: `delivery-${round}`,
      data: {
        events: Array.from({ length: eventsPerDelivery }, (_, i) => logEvent(i, `00uUser${round}x${i % 80}`)),
      },
    }),
  });

  const warmUp = Math.min(50, invocations);
  const samples: number[] = [];
  for (let round = 0; round < warmUp + invocations; round++) {
    const event = deliveryFor(round) as never;
    const started = performance.now();
    const result = await handler(event, context);
    const elapsed = performance.now() - started;
    if (result.statusCode !== 200) throw new Error(`bench delivery answered ${result.statusCode}`);
    if (round >= warmUp) samples.push(elapsed);
  }
  return {
    eventsPerDelivery,
    invocations,
    p50Ms: round2(percentile(samples, 50)),
    p99Ms: round2(percentile(samples, 99)),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function runReceiverBench(options: { initRuns?: number } = {}): Promise<ReceiverBenchResult> {
  const initRuns = options.initRuns ?? INIT_RUNS;
  const [receiver, withOkta] = await Promise.all([bundleReceiver(), bundleReceiverWithOktaSdk()]);
  const dir = mkdtempSync(join(tmpdir(), 'receiver-bench-'));
  try {
    const receiverFile = join(dir, 'event-hook.js');
    const oktaFile = join(dir, 'receiver-with-okta-sdk.js');
    writeFileSync(receiverFile, receiver.code);
    writeFileSync(oktaFile, withOkta.code);
    const receiverTimes: number[] = [];
    const oktaTimes: number[] = [];
    // Interleaved, so drift in machine load affects both sides alike.
    for (let i = 0; i < initRuns; i++) {
      receiverTimes.push(initMillis(receiverFile));
      oktaTimes.push(initMillis(oktaFile));
    }
    const receiverInitMs = round2(median(receiverTimes));
    const oktaInitMs = round2(median(oktaTimes));
    const initSpeedup = round2(oktaInitMs / receiverInitMs);
    const latency = [await measureLatency(1, 500), await measureLatency(100, 300)];
    return {
      node: process.version,
      receiverBundleBytes: receiver.bytes,
      oktaBundleBytes: withOkta.bytes,
      bundleLimitBytes: BUNDLE_LIMIT_BYTES,
      initRuns,
      receiverInitMs,
      oktaInitMs,
      initSpeedup,
      latency,
      goals: {
        bundleWithinLimit: receiver.bytes <= BUNDLE_LIMIT_BYTES,
        initAtLeast3xFaster: initSpeedup >= REQUIRED_INIT_SPEEDUP,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

export function formatReceiverBenchMarkdown(r: ReceiverBenchResult): string {
  return [
    '## Event-hook receiver',
    '',
    `Bundles: esbuild, minified, platform node, target node20, CommonJS, all dependencies included. Init: median of ${r.initRuns} fresh \`node\` processes (${r.node}) timing \`require(bundle)\` alone. Latency: the middy handler invoked in-process with instant stand-ins for SQS and Secrets Manager, logger silent; after 50 warm-up calls.`,
    '',
    '| measure | receiver | receiver + Okta SDK | goal |',
    '|---|---|---|---|',
    `| bundle size | ${kib(r.receiverBundleBytes)} (${r.receiverBundleBytes} B) | ${kib(r.oktaBundleBytes)} | ≤ ${kib(r.bundleLimitBytes)}: ${verdict(r.goals.bundleWithinLimit)} |`,
    `| module init (median) | ${r.receiverInitMs} ms | ${r.oktaInitMs} ms | ≥ 3× faster: ${r.initSpeedup}×, ${verdict(r.goals.initAtLeast3xFaster)} |`,
    '',
    '| delivery | invocations | p50 | p99 |',
    '|---|---|---|---|',
    ...r.latency.map(
      (l) => `| ${l.eventsPerDelivery} event(s) | ${l.invocations} | ${l.p50Ms} ms | ${l.p99Ms} ms |`,
    ),
    '',
  ].join('\n');
}

if (require.main === module) {
  runReceiverBench()
    .then((result) => {
      console.log(formatReceiverBenchMarkdown(result));
      if (!result.goals.bundleWithinLimit || !result.goals.initAtLeast3xFaster) process.exitCode = 1;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
