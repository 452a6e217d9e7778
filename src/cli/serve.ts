import { loadSettings, SettingsError } from '../config/env';
import { Logger } from '@aws-lambda-powertools/logger';
import { fileFingerprintStore } from '../guard/state-file';
import { localAppCheck } from '../local/app-check';
import { startLocalRuntime } from '../local/runtime';
import { createOktaClient } from '../okta/client';

/**
 * `npm run cli -- serve`: the receiver and the worker in one process, against any Okta-compatible org URL.
 * Configured only by the environment (see README); SIGINT/SIGTERM drain in-flight work.
 */
export async function run(_args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let settings;
  try {
    settings = loadSettings(env, { requireApp: true });
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const appSettings = { ...settings, appId: settings.appId ?? '' };
  const logger = new Logger({ serviceName: 'frontline-local' });
  const runtime = await startLocalRuntime({
    settings: appSettings,
    logger,
    onAppConfigEvents: localAppCheck({
      client: createOktaClient({ orgUrl: settings.orgUrl, credentials: settings.credentials }),
      settings: appSettings,
      fingerprints: fileFingerprintStore(settings.stateFile),
      logger,
    }),
  });
  console.log(`Frontline provisioner listening on ${runtime.hookUrl} (readiness: ${runtime.url}/healthz)`);

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      console.log(`${signal}: draining in-flight work…`);
      void runtime.stop().then((report) => {
        console.log(
          `Stopped. Left: ${report.leftQueued} queued, ${report.leftInFlight} in flight, ${report.dead} dead-lettered.`,
        );
        resolve(report.leftQueued + report.leftInFlight + report.dead > 0 ? 3 : 0);
      });
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
