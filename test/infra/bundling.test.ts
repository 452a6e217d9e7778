import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createApp } from '../../infra/app';
import type { FrontlineStack } from '../../infra/frontline-stack';
import { configWith, SYNTH_TIMEOUT_MS } from './helpers';

/**
 * The one infra test that bundles for real (local esbuild, no Docker), from the real lambdas/ entries, with
 * bootstrap on so all four handlers are built: what `cdk synth`/`cdk deploy` will upload.
 */
describe('Bundling: the Lambda assets built by cdk synth', () => {
  let stack: FrontlineStack;
  let assembly: CloudAssembly;

  beforeAll(() => {
    const created = createApp(configWith({ bootstrap: true, appId: undefined }));
    stack = created.stack;
    assembly = created.app.synth() as unknown as CloudAssembly;
  }, 3 * SYNTH_TIMEOUT_MS);

  // ~25 MB of bundles per run in the OS temp dir.
  afterAll(() => rmSync(assembly.directory, { recursive: true, force: true }));

  const bundleOf = (fn: { function: { node: { defaultChild?: unknown } } }) => {
    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Properties: { Code: { S3Key: string } } }>;
    };
    const logicalId = stack.getLogicalId(
      fn.function.node.defaultChild as Parameters<FrontlineStack['getLogicalId']>[0],
    );
    const key = template.Resources[logicalId]?.Properties.Code.S3Key ?? '';
    const dir = join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
    const code = join(dir, 'index.js');
    return {
      dir,
      code,
      size: existsSync(code) ? statSync(code).size : 0,
      text: () => readFileSync(code, 'utf8'),
    };
  };

  it('bundles every handler into a CommonJS index.js with its source map', () => {
    for (const fn of [stack.receiver, stack.worker, stack.reconcile, stack.bootstrap!.handler]) {
      const bundle = bundleOf(fn);
      expect(bundle.size).toBeGreaterThan(0);
      expect(existsSync(join(bundle.dir, 'index.js.map'))).toBe(true);
      expect(bundle.text()).toMatch(/module\.exports|exports\.handler/);
      expect(bundle.text()).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    }
  });

  it('keeps the embedded store (better-sqlite3) out of every Lambda bundle', () => {
    for (const fn of [stack.receiver, stack.worker, stack.reconcile, stack.bootstrap!.handler]) {
      const text = bundleOf(fn).text();
      expect(text).not.toContain('better-sqlite3');
      expect(text).not.toContain('better_sqlite3');
    }
  });

  it('keeps the SAML libraries (the emulators’ sign-in) out of every Lambda bundle', () => {
    for (const fn of [
      stack.receiver,
      stack.worker,
      stack.reconcile,
      stack.bootstrap!.handler,
      stack.catchup.handler,
    ]) {
      const text = bundleOf(fn).text();
      for (const library of ['node-saml', 'xml-crypto', 'xml-encryption', '@xmldom']) {
        expect({ library, bundled: text.includes(library) }).toEqual({ library, bundled: false });
      }
    }
  });

  it('keeps the Okta SDK out of the receiver, which stays under 1 MB', () => {
    const receiver = bundleOf(stack.receiver);
    expect(receiver.size).toBeLessThanOrEqual(1024 * 1024);
    expect(receiver.text()).not.toContain('okta-sdk-nodejs');
  });

  it('includes the Okta SDK where Okta is called (worker, reconcile, bootstrap)', () => {
    for (const fn of [stack.worker, stack.reconcile, stack.bootstrap!.handler]) {
      expect(bundleOf(fn).text()).toContain('okta-sdk-nodejs');
    }
  });
});
