import { runCatchup, type CatchupSummary } from '../catchup/catchup';
import type { CursorStore } from '../catchup/cursor-store';
import { checkHookHealth, type HookHealth, type HookIdentity } from '../catchup/hook-health';
import type { LogEvent } from '../domain/hook-events';
import type { RawOktaClient } from '../okta/http';
import { readLogPage } from '../okta/system-log';
import type { WorkQueue } from '../domain/work-queue';
import type { BackstopLogger } from './backstop';

export interface CatchupLoopDeps {
  client: RawOktaClient;
  queue: WorkQueue;
  cursor: CursorStore;
  groupIds: readonly string[];
  appId: string;
  hook: HookIdentity;
  intervalSeconds: number;
  lookbackSeconds: number;
  logger: BackstopLogger;
  onAppConfigEvents?: (events: LogEvent[]) => Promise<void>;
  /** Told how every run ended (timer or `runOnce`), for `/healthz`. */
  onRun?: (outcome: { ok: true } | { ok: false; error: unknown }) => void;
}

export interface CatchupLoop {
  /** One run now: the System Log from the cursor, then our hook's health. */
  runOnce(): Promise<{ summary: CatchupSummary; hook: HookHealth }>;
  /** What the last run found about the hook; undefined before the first run (or if it failed to read). */
  hookHealth(): HookHealth | undefined;
  stop(): void;
}

/**
 * `serve`'s second layer: every `FRONTLINE_CATCHUP_INTERVAL` seconds the System Log's events since the cursor go
 * through the receiver's selection into the same queue, so a dropped delivery waits one interval, not an hour.
 * Runs never overlap; a failed run leaves the cursor where it was and the next interval tries again.
 */
export function startCatchupLoop(deps: CatchupLoopDeps): CatchupLoop {
  const { logger } = deps;
  let lastHook: HookHealth | undefined;
  let running: Promise<unknown> | undefined;

  async function runOnce(): Promise<{ summary: CatchupSummary; hook: HookHealth }> {
    try {
      const result = await run();
      deps.onRun?.({ ok: true });
      return result;
    } catch (error) {
      deps.onRun?.({ ok: false, error });
      throw error;
    }
  }

  async function run(): Promise<{ summary: CatchupSummary; hook: HookHealth }> {
    const summary = await runCatchup(
      {
        readPage: (url) => readLogPage(deps.client, url),
        cursor: deps.cursor,
        queue: deps.queue,
        target: { groupIds: deps.groupIds, appId: deps.appId },
        logger,
        ...(deps.onAppConfigEvents ? { onAppConfigEvents: deps.onAppConfigEvents } : {}),
      },
      { lookbackSeconds: deps.lookbackSeconds },
    );
    const hook = await checkHookHealth(deps.client, deps.hook);
    lastHook = hook;
    if (hook.reverified) logger.info('event hook was UNVERIFIED; re-verified', { hookId: hook.hookId });
    else if (hook.state !== 'ok') logger.warn('event hook is not receiving events', { ...hook });
    return { summary, hook };
  }

  const tick = (): void => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) =>
        logger.error('catch-up run failed; retried at the next interval', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = deps.intervalSeconds > 0 ? setInterval(tick, deps.intervalSeconds * 1000) : undefined;
  timer?.unref();
  return {
    runOnce,
    hookHealth: () => lastHook,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
