import { BUNDLE_LIMIT_BYTES, bundleReceiver } from '../../scripts/bench/receiver';

// Size and content only; init time and latency are measured by `npx tsx scripts/bench/receiver.ts`, not asserted here.
describe('Bundle: lambdas/event-hook', () => {
  let bundle: Awaited<ReturnType<typeof bundleReceiver>>;

  beforeAll(async () => {
    bundle = await bundleReceiver();
  });

  it('stays within 1 MiB minified with every dependency included', () => {
    expect(bundle.bytes).toBeGreaterThan(0);
    expect(bundle.bytes).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
  });

  it('does not include the Okta SDK or the Okta client adapter', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((p) => p.includes('lambdas/event-hook.ts'))).toBe(true);
    expect(inputs.filter((p) => p.includes('node_modules/@okta/') || p.includes('src/okta/'))).toEqual([]);
    expect(bundle.code).not.toContain('okta-sdk-nodejs');
  });
});
