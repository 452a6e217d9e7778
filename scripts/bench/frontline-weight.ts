/*
 * What the Frontline Users adapter costs the provisioning worker's cold start: bundle size and module init time
 * of the worker Lambda alone, with the adapter on the official `twilio` library, and with the fetch adapter.
 *
 *   npx tsx scripts/bench/frontline-weight.ts            prints a markdown section
 *   npx tsx scripts/bench/frontline-weight.ts --write    also puts it into docs/benchmarks.md (replacing its own)
 *   … [--runs N]                                         init samples per variant (default 15)
 *
 * `runFrontlineWeightBench()` + `frontlineWeightMarkdown()` are what the main bench (`npm run bench`) can include.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const ROOT = resolve(__dirname, '..', '..');
const DEFAULT_RUNS = 15;
/**
 * The rule the decision follows: the library is worth it unless it adds at least this much median init time to
 * every cold start of the worker (or a mebibyte of bundle), for two HTTP calls the fetch adapter makes in ~100 lines.
 */
const MAX_WORTHWHILE_INIT_MS = 50;
const MAX_WORTHWHILE_BYTES = 1024 * 1024;

/** As infra/constructs/node-function.ts deploys every Lambda: esbuild, CJS, node24, minified, external maps. */
const LAMBDA_BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: 'external',
  sourcesContent: false,
  metafile: true,
  write: false,
  logLevel: 'silent',
  absWorkingDir: ROOT,
};

/** The worker's environment at cold start (it validates its config at module scope). */
const BENCH_ENV = {
  OKTA_ORG_URL: 'https://bench.okta.com',
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bench',
  FRONTLINE_APP_ID: '0oaBenchApp',
  FRONTLINE_GROUP_ID: '00gBenchGroup',
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // As NodeFunction sets it on Lambda: stack traces through the bundled source maps.
  NODE_OPTIONS: '--enable-source-maps',
};

const adapterBuild = (factory: 'createTwilioFrontlineUsers' | 'createFetchFrontlineUsers', file: string) =>
  [
    `const { ${factory} } = require('./src/twilio/${file}');`,
    // Built once at module scope, as a composition root would.
    `module.exports.frontline = ${factory}({ apiUrl: 'https://frontline-api.twilio.com', credentials: { kind: 'auth-token', accountSid: 'AC00000000000000000000000000000000', authToken: 'bench' } });`,
  ].join('\n');

const WORKER = "module.exports.worker = require('./lambdas/provision-user.ts');";

interface Variant {
  id: string;
  label: string;
  contents: string;
}

const VARIANTS: Variant[] = [
  { id: 'worker', label: 'worker alone', contents: WORKER },
  {
    id: 'worker-twilio',
    label: 'worker + twilio-library adapter',
    contents: `${WORKER}\n${adapterBuild('createTwilioFrontlineUsers', 'twilio-users.ts')}`,
  },
  {
    id: 'worker-fetch',
    label: 'worker + fetch adapter',
    contents: `${WORKER}\n${adapterBuild('createFetchFrontlineUsers', 'fetch-users.ts')}`,
  },
  {
    id: 'twilio',
    label: 'twilio-library adapter alone',
    contents: adapterBuild('createTwilioFrontlineUsers', 'twilio-users.ts'),
  },
  {
    id: 'fetch',
    label: 'fetch adapter alone',
    contents: adapterBuild('createFetchFrontlineUsers', 'fetch-users.ts'),
  },
];

export interface VariantResult {
  id: string;
  label: string;
  bytes: number;
  /** Bytes in the bundle from node_modules/twilio itself. */
  twilioBytes: number;
  initMs: number;
}

export interface FrontlineWeightResult {
  node: string;
  runs: number;
  variants: VariantResult[];
  twilioAddedInitMs: number;
  twilioAddedBytes: number;
  fetchAddedInitMs: number;
  fetchAddedBytes: number;
  decision: 'fetch' | 'twilio';
}

/** The `twilio` package's own files (its dependencies show in the size difference). */
const TWILIO_PACKAGE = /(^|\/)node_modules\/twilio\//;

async function bundle(
  variant: Variant,
  dir: string,
): Promise<{ file: string; bytes: number; twilioBytes: number }> {
  const outfile = join(dir, `${variant.id}.js`);
  const result = await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    stdin: {
      contents: variant.contents,
      resolveDir: ROOT,
      sourcefile: `${variant.id}-entry.js`,
      loader: 'js',
    },
    outfile,
  });
  let bytes = 0;
  for (const out of result.outputFiles ?? []) {
    writeFileSync(out.path, out.contents);
    if (out.path === outfile) bytes = out.contents.byteLength;
  }
  return { file: outfile, bytes, twilioBytes: twilioShare(result.metafile ?? { inputs: {}, outputs: {} }) };
}

function twilioShare(metafile: Metafile): number {
  let total = 0;
  for (const out of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(out.inputs)) {
      if (TWILIO_PACKAGE.test(path)) total += input.bytesInOutput;
    }
  }
  return total;
}

/** Time to `require` a bundle, inside a fresh process so Node's own start-up is not counted. */
function initMillis(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const out = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...BENCH_ENV },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`requiring ${file} failed: ${out.stderr.slice(0, 500)}`);
  return Number(out.stdout);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const round1 = (n: number) => Math.round(n * 10) / 10;

export async function runFrontlineWeightBench(
  options: { runs?: number } = {},
): Promise<FrontlineWeightResult> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const dir = mkdtempSync(join(tmpdir(), 'frontline-weight-'));
  try {
    const bundles = [];
    for (const v of VARIANTS) bundles.push({ variant: v, ...(await bundle(v, dir)) });
    const samples = bundles.map(() => [] as number[]);
    // Interleaved, so drift in machine load affects every variant alike.
    for (let i = 0; i < runs; i++) bundles.forEach((b, j) => samples[j]!.push(initMillis(b.file)));
    const variants = bundles.map((b, j) => ({
      id: b.variant.id,
      label: b.variant.label,
      bytes: b.bytes,
      twilioBytes: b.twilioBytes,
      initMs: round1(median(samples[j]!)),
    }));
    const by = (id: string) => variants.find((v) => v.id === id)!;
    const twilioAddedInitMs = round1(by('worker-twilio').initMs - by('worker').initMs);
    const twilioAddedBytes = by('worker-twilio').bytes - by('worker').bytes;
    const fetchAddedInitMs = round1(by('worker-fetch').initMs - by('worker').initMs);
    const fetchAddedBytes = by('worker-fetch').bytes - by('worker').bytes;
    const decision =
      twilioAddedInitMs >= MAX_WORTHWHILE_INIT_MS || twilioAddedBytes >= MAX_WORTHWHILE_BYTES
        ? 'fetch'
        : 'twilio';
    return {
      node: process.version,
      runs,
      variants,
      twilioAddedInitMs,
      twilioAddedBytes,
      fetchAddedInitMs,
      fetchAddedBytes,
      decision,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const SECTION_TITLE = "## Twilio library weight on the worker's cold start";

export function frontlineWeightMarkdown(r: FrontlineWeightResult): string {
  const decision =
    r.decision === 'fetch'
      ? `**Decision: the fetch adapter** (\`src/twilio/fetch-users.ts\`). The \`twilio\` library adds ${r.twilioAddedInitMs} ms of median init and ${kib(r.twilioAddedBytes)} to every cold start of the worker (rule: not worth it from ${MAX_WORTHWHILE_INIT_MS} ms or ${kib(MAX_WORTHWHILE_BYTES)}), for two HTTP calls; the fetch adapter adds ${r.fetchAddedInitMs} ms and ${kib(r.fetchAddedBytes)}. Both adapters pass the same contract test against the emulator (\`test/frontline/users-contract.test.ts\`), so the library version stays a drop-in.`
      : `**Decision: the \`twilio\` library** (\`src/twilio/twilio-users.ts\`): it adds only ${r.twilioAddedInitMs} ms of median init and ${kib(r.twilioAddedBytes)} (rule: worth it below ${MAX_WORTHWHILE_INIT_MS} ms and ${kib(MAX_WORTHWHILE_BYTES)}).`;
  return [
    SECTION_TITLE,
    '',
    `\`scripts/bench/frontline-weight.ts\`. Bundles as \`infra/constructs/node-function.ts\` builds the Lambdas (esbuild, CommonJS, target node24, minified, external source maps, every dependency included); the adapter is built once at module scope. Init: median of ${r.runs} fresh \`node --enable-source-maps\` processes (${r.node}) timing \`require(bundle)\` alone, interleaved.`,
    '',
    '| bundle | size | of which `twilio` itself | module init (median) |',
    '|---|---|---|---|',
    ...r.variants.map((v) => `| ${v.label} | ${kib(v.bytes)} | ${kib(v.twilioBytes)} | ${v.initMs} ms |`),
    '',
    `Added to the worker: twilio-library adapter +${kib(r.twilioAddedBytes)}, +${r.twilioAddedInitMs} ms; fetch adapter +${kib(r.fetchAddedBytes)}, +${r.fetchAddedInitMs} ms.`,
    '',
    decision,
    '',
  ].join('\n');
}

/** Puts the section into docs/benchmarks.md, replacing an earlier one (up to the next `## ` heading). */
export function writeSection(markdown: string, path = join(ROOT, 'docs', 'benchmarks.md')): void {
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf(SECTION_TITLE);
  let next: string;
  if (start < 0) {
    next = `${doc.replace(/\n*$/, '\n\n')}${markdown}`;
  } else {
    const after = doc.indexOf('\n## ', start + SECTION_TITLE.length);
    next = `${doc.slice(0, start)}${markdown}${after < 0 ? '' : `\n${doc.slice(after + 1)}`}`;
  }
  writeFileSync(path, next.replace(/\n*$/, '\n'));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number.parseInt(args[runsAt + 1] ?? '', 10) : DEFAULT_RUNS;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('--runs must be a whole number ≥ 1');
    process.exit(2);
  }
  runFrontlineWeightBench({ runs })
    .then((result) => {
      const md = frontlineWeightMarkdown(result);
      console.log(md);
      if (args.includes('--write')) writeSection(md);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
