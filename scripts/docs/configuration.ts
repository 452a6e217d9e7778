/*
 * `npm run docs`: docs/configuration.md, generated from the descriptions the settings schemas carry
 * (`.describe(…)`), so the reference can't drift from the code. test/config/configuration-doc.test.ts fails while
 * the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'prettier';
import * as markdown from 'prettier/plugins/markdown';
import { format } from 'prettier/standalone';
import * as z from 'zod';
import { DeploymentConfigSchema } from '../../infra/config';
import { CatchupEnvSchema } from '../../src/catchup/lambda-config';
import { EnvSchema } from '../../src/config/env';
import { LEGACY_LAMBDA_ENV_NAMES } from '../../src/config/env-schema';
import { FrontlineEnvSchema } from '../../src/twilio/config';
import { FrontlineLambdaEnvSchema } from '../../src/twilio/lambda-config';
import { ReceiverEnvSchema } from '../../src/receiver/config';
import { ReconcileEnvSchema } from '../../src/reconcile/lambda-config';
import { WorkerEnvSchema } from '../../src/worker/lambda-config';
import prettierConfig from '../../.prettierrc.json';

export const CONFIGURATION_DOC = join(__dirname, '..', '..', 'docs', 'configuration.md');

type Shape = Readonly<Record<string, z.ZodType>>;

/** A schema whose keys are documented, with the file that declares it. */
interface Source {
  readonly file: string;
  readonly shape: Shape;
}

/** `serve`'s and the CLI's variables: the settings, then the Twilio ones `serve` reads for Frontline offboarding. */
export const LOCAL_SOURCES: readonly Source[] = [
  { file: 'src/config/env.ts', shape: EnvSchema.shape },
  { file: 'src/twilio/config.ts', shape: FrontlineEnvSchema.shape },
];

/** Each Lambda's variables, with the functions that read them. */
export const LAMBDA_SOURCES: readonly (Source & { readonly functions: readonly string[] })[] = [
  { file: 'src/worker/lambda-config.ts', functions: ['worker'], shape: WorkerEnvSchema.shape },
  { file: 'src/reconcile/lambda-config.ts', functions: ['reconcile'], shape: ReconcileEnvSchema.shape },
  { file: 'src/catchup/lambda-config.ts', functions: ['catch-up'], shape: CatchupEnvSchema.shape },
  { file: 'src/receiver/config.ts', functions: ['receiver'], shape: ReceiverEnvSchema.shape },
  {
    file: 'src/twilio/lambda-config.ts',
    functions: ['worker', 'reconcile'],
    shape: FrontlineLambdaEnvSchema.shape,
  },
];

export const DEPLOYMENT_SOURCE: Source = { file: 'infra/config.ts', shape: DeploymentConfigSchema.shape };

/** Shapes the schemas above spread, named in the introduction too. */
const SHARED_FILES = ['src/config/policy-env.ts', 'src/config/env-schema.ts'];

export interface Setting {
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodType;
}

/** The shape's keys in order with their descriptions; throws naming every key that has none. */
export function describedSettings(shape: Shape, file: string): Setting[] {
  const settings = Object.entries(shape).map(([name, schema]) => ({
    name,
    description: schema.description?.trim() ?? '',
    schema,
  }));
  const undocumented = settings.filter((s) => s.description === '').map((s) => s.name);
  if (undocumented.length > 0) {
    throw new Error(
      `${file}: no description for ${undocumented.join(', ')}; add .describe('…') to each (docs/configuration.md ` +
        'is generated from them)',
    );
  }
  return settings;
}

const code = (text: string): string => `\`${text}\``;
/** A table cell: one line, pipes escaped. */
const cell = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
];

function localTable(): string[] {
  const rows = LOCAL_SOURCES.flatMap((source) =>
    describedSettings(source.shape, source.file).map((s) => [code(s.name), s.description]),
  );
  return table(['Variable', 'Description'], rows);
}

/** One row per variable, in order of first appearance; a variable described differently per function says so. */
function lambdaTable(): string[] {
  const variables = new Map<string, Map<string, string[]>>();
  for (const source of LAMBDA_SOURCES) {
    for (const { name, description } of describedSettings(source.shape, source.file)) {
      const byDescription = variables.get(name) ?? new Map<string, string[]>();
      const readers = byDescription.get(description) ?? [];
      byDescription.set(description, [...readers, ...source.functions.filter((f) => !readers.includes(f))]);
      variables.set(name, byDescription);
    }
  }
  const order = LAMBDA_SOURCES.flatMap((s) => s.functions);
  const sorted = (functions: Iterable<string>): string[] =>
    [...new Set(functions)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const rows = [...variables].map(([name, byDescription]) => {
    const readers = sorted([...byDescription.values()].flat());
    const description =
      byDescription.size === 1
        ? [...byDescription.keys()].join('')
        : [...byDescription]
            .map(([text, functions]) => `_${sorted(functions).join(', ')}:_ ${text}`)
            .join('<br>');
    return [code(name), readers.join(', '), description];
  });
  return table(['Variable', 'Read by', 'Description'], rows);
}

/** The schema's own default, if it has one (`.default(…)`), as JSON. */
function schemaDefault(schema: z.ZodType): string | undefined {
  return schema instanceof z.ZodDefault ? JSON.stringify(schema.def.defaultValue) : undefined;
}

function deploymentTable(): string[] {
  const rows = describedSettings(DEPLOYMENT_SOURCE.shape, DEPLOYMENT_SOURCE.file).map((s) => {
    const byDefault = schemaDefault(s.schema);
    return [
      code(s.name),
      byDefault === undefined ? s.description : `${s.description} Default: ${code(byDefault)}.`,
    ];
  });
  return table(['Field', 'Description'], rows);
}

/** docs/configuration.md before formatting (see formattedConfigurationMarkdown). */
export function configurationMarkdown(): string {
  const files = [
    ...new Set(
      [...LOCAL_SOURCES, ...LAMBDA_SOURCES, DEPLOYMENT_SOURCE].map((s) => s.file).concat(SHARED_FILES),
    ),
  ].sort();
  const legacy = Object.entries(LEGACY_LAMBDA_ENV_NAMES).map(
    ([name, old]) => `${code(old)} for ${code(name)}`,
  );
  const lines = [
    '# Configuration',
    '',
    'Generated by `npm run docs` (`scripts/docs/configuration.ts`) from the descriptions in the settings schemas: ' +
      `${files.map(code).join(', ')}. Do not edit it by hand: change the description in the schema and run ` +
      '`npm run docs`; a test fails while this file is stale.',
    '',
    '## serve and the CLI',
    '',
    'Read from the environment once at start. A missing or invalid setting stops the command with one line per ' +
      'problem, all of them in one run, naming the variable and never echoing its value; ' +
      '`npm run cli -- doctor` also checks the settings against Okta. The Twilio variables ' +
      `(${code('src/twilio/config.ts')}) are read by \`serve\` only.`,
    '',
    ...localTable(),
    '',
    '## Lambda functions',
    '',
    'The stack sets these from the deployment file (`infra/lambda-env.ts`); secrets travel as Secrets Manager ARNs ' +
      'and are read at cold start. A function stops at cold start on a missing or invalid variable, naming it. ' +
      `Older names are still read where the current one is unset: ${legacy.join(', ')}.`,
    '',
    ...lambdaTable(),
    '',
    '## Deployment file',
    '',
    'The JSON file given to `npx cdk synth -c config=<path>` (`examples/frontline.config.example.json` is a ' +
      'complete one). Unknown fields are rejected, so a typo cannot silently fall back to a default.',
    '',
    ...deploymentTable(),
  ];
  return `${lines.join('\n')}\n`;
}

/** The document as written: formatted with the repository's Prettier settings, so `prettier --check` passes. */
export async function formattedConfigurationMarkdown(): Promise<string> {
  return format(configurationMarkdown(), {
    ...(prettierConfig as Options),
    parser: 'markdown',
    plugins: [markdown],
  });
}

async function main(): Promise<void> {
  writeFileSync(CONFIGURATION_DOC, await formattedConfigurationMarkdown());
  console.error(`wrote ${CONFIGURATION_DOC}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
