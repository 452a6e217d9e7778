/**
 * The bootstrap custom resources' contract, shared by infra/constructs/okta-bootstrap.ts (which declares them) and
 * src/bootstrap/handler.ts (which serves them). Dependency-free so `cdk synth` loads no Okta code.
 */
export const BOOTSTRAP_RESOURCE_TYPES = {
  app: 'Custom::FrontlineOktaApp',
  eventHook: 'Custom::FrontlineOktaEventHook',
} as const;

export const EVENT_HOOK_NAME = 'Frontline provisioner';

/**
 * Okta's request timeout in the bootstrap handler and the handler's own timeout, which must outlast it.
 * One rate-limit retry (`maxRateLimitRetries: 1`) can wait for a bucket's reset (≤ 60 s, plus Okta's 1 s margin)
 * and repeat the request, so one call may take up to 130 s; only one call per run meets an exhausted bucket
 * (after the reset the bucket has room for the rest). The longest run, the app's find + create/adopt + repair +
 * re-read + keys + metadata, is ≤ 8 more calls at ≤ 10 s each: 130 + 8 × 10 = 210 s, so 300 s leaves 90 s spare.
 */
export const BOOTSTRAP_TIMEOUTS = {
  oktaRequestMs: 130_000,
  handlerSeconds: 300,
} as const;
