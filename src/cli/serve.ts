import { loadSettings, SettingsError } from '../config/env';
import { startLocalRuntime } from '../local/runtime';

/**
 * `npm run cli -- serve`: the receiver and the worker in one process, against any Okta-compatible org URL.
 * Configured only by the environment (see README); SIGINT/SIGTERM drain in-flight work.
 */
export async function run(_args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let settings;
  try {
    settings = loadSettings(env);
    if (!settings.appId)
      throw new SettingsError(['FRONTLINE_APP_ID is required (the Frontline SAML app, 0oa…)']);
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const runtime = await startLocalRuntime({ settings: { ...settings, appId: settings.appId } });
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
