import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { DeploymentConfigSchema } from '../../infra/config';
import {
  CONFIGURATION_DOC,
  configurationMarkdown,
  DEPLOYMENT_SOURCE,
  describedSettings,
  formattedConfigurationMarkdown,
  LAMBDA_SOURCES,
  LOCAL_SOURCES,
} from '../../scripts/docs/configuration';
import { CatchupEnvSchema } from '../../src/catchup/lambda-config';
import { EnvSchema } from '../../src/config/env';
import { oktaLambdaEnvShape } from '../../src/config/env-schema';
import { policyEnvShape } from '../../src/config/policy-env';
import { FrontlineEnvSchema } from '../../src/twilio/config';
import { FrontlineLambdaEnvSchema } from '../../src/twilio/lambda-config';
import { ReceiverEnvSchema } from '../../src/receiver/config';
import { ReconcileEnvSchema } from '../../src/reconcile/lambda-config';
import { WorkerEnvSchema } from '../../src/worker/lambda-config';

/*
 * docs/configuration.md is generated from the schemas' descriptions (scripts/docs/configuration.ts): it must be
 * what `npm run docs` writes now, name every setting, and a setting without a description must stop the generator.
 */
const EVERY_SCHEMA: Record<string, Readonly<Record<string, z.ZodType>>> = {
  'EnvSchema (src/config/env.ts)': EnvSchema.shape,
  'policyEnvShape (src/config/policy-env.ts)': policyEnvShape,
  'oktaLambdaEnvShape (src/config/env-schema.ts)': oktaLambdaEnvShape,
  'FrontlineEnvSchema (src/twilio/config.ts)': FrontlineEnvSchema.shape,
  'FrontlineLambdaEnvSchema (src/twilio/lambda-config.ts)': FrontlineLambdaEnvSchema.shape,
  'WorkerEnvSchema (src/worker/lambda-config.ts)': WorkerEnvSchema.shape,
  'ReconcileEnvSchema (src/reconcile/lambda-config.ts)': ReconcileEnvSchema.shape,
  'CatchupEnvSchema (src/catchup/lambda-config.ts)': CatchupEnvSchema.shape,
  'ReceiverEnvSchema (src/receiver/config.ts)': ReceiverEnvSchema.shape,
  'DeploymentConfigSchema (infra/config.ts)': DeploymentConfigSchema.shape,
};

/** The document's section from its `## ` heading to the next one. */
function section(doc: string, heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The table row of a variable or field in a section, split into its cells. */
function row(text: string, name: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`| \`${name}\``));
  if (!line) throw new Error(`no row for ${name}`);
  return line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('docs/configuration.md', () => {
  let doc: string;
  beforeAll(async () => {
    doc = await formattedConfigurationMarkdown();
  });

  it('is what `npm run docs` writes', () => {
    const committed = readFileSync(CONFIGURATION_DOC, 'utf8');
    if (committed !== doc) {
      throw new Error('docs/configuration.md is stale: run `npm run docs` and commit the result');
    }
  });

  it('names every key of every settings schema', () => {
    const missing = Object.entries(EVERY_SCHEMA).flatMap(([schema, shape]) =>
      Object.keys(shape)
        .filter((key) => !doc.includes(`| \`${key}\``))
        .map((key) => `${schema}: ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('lists the local settings in schema order, policy variables and Twilio ones included', () => {
    const local = section(doc, 'serve and the CLI');
    const names = LOCAL_SOURCES.flatMap((s) => Object.keys(s.shape));
    const positions = names.map((name) => local.indexOf(`| \`${name}\``));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(names).toEqual(expect.arrayContaining(Object.keys(policyEnvShape)));
  });

  it('says which Lambda functions read each variable, from the schemas that hold it', () => {
    const lambdas = section(doc, 'Lambda functions');
    for (const name of new Set(LAMBDA_SOURCES.flatMap((s) => Object.keys(s.shape)))) {
      const readers = new Set(LAMBDA_SOURCES.filter((s) => name in s.shape).flatMap((s) => s.functions));
      expect({ name, readBy: row(lambdas, name)[1]?.split(', ').sort() }).toEqual({
        name,
        readBy: [...readers].sort(),
      });
    }
    expect(row(lambdas, 'RECORDS_TABLE_NAME')[1]).toBe('worker, reconcile, catch-up');
    expect(row(lambdas, 'TWILIO_CREDENTIALS_SECRET_ARN')[1]).toBe('worker, reconcile');
    expect(row(lambdas, 'HOOK_SECRET_ARN')[1]).toBe('receiver');
  });

  it("states each deployment field's default, from the schema where it holds one", () => {
    const deployment = section(doc, 'Deployment file');
    for (const [field, schema] of Object.entries(DeploymentConfigSchema.shape)) {
      const description = row(deployment, field)[1] ?? '';
      const stated = schema instanceof z.ZodDefault || /Required|Default:/.test(schema.description ?? '');
      expect({ field, stated }).toEqual({ field, stated: true });
      if (schema instanceof z.ZodDefault) {
        expect(description).toContain(`Default: \`${JSON.stringify(schema.def.defaultValue)}\`.`);
      }
    }
    expect(row(deployment, 'reconcileRate')[1]).toContain('`<n> minutes\\|hours\\|days`');
  });

  it('quotes the defaults the code applies, not copies of them', () => {
    const local = section(doc, 'serve and the CLI');
    expect(row(local, 'PORT')[1]).toMatch(/Default: `8080`\.$/);
    expect(row(local, 'HTTP_HEADERS_TIMEOUT_SECONDS')[1]).toMatch(/Default: `10`\.$/);
    expect(row(section(doc, 'Lambda functions'), 'APP_GUARD_MODE')[2]).toMatch(/Default: `report`\.$/);
  });
});

describe('Generator: configurationMarkdown', () => {
  it('returns the document prettier formats, sections in order', () => {
    const raw = configurationMarkdown();
    expect(raw.split('\n')[0]).toBe('# Configuration');
    expect(raw).toContain('npm run docs');
    const headings = raw.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## serve and the CLI', '## Lambda functions', '## Deployment file']);
    expect(DEPLOYMENT_SOURCE.file).toBe('infra/config.ts');
  });

  it('refuses a setting without a description, naming it', () => {
    const shape = z.object({
      DOCUMENTED: z.string().optional().describe('Says what it is for.'),
      NEW_SETTING: z.string().optional(),
      ANOTHER: z.string().describe('  '),
    }).shape;

    expect(() => describedSettings(shape, 'src/fake.ts')).toThrow(
      /^src\/fake\.ts: no description for NEW_SETTING, ANOTHER; add \.describe/,
    );
    expect(describedSettings({ DOCUMENTED: shape.DOCUMENTED }, 'src/fake.ts')).toEqual([
      { name: 'DOCUMENTED', description: 'Says what it is for.', schema: shape.DOCUMENTED },
    ]);
  });
});
