import { Logger } from '@aws-lambda-powertools/logger';
import { loadSettings, SettingsError } from '../config/env';
import { localAppCheck } from '../local/app-check';
import { startLocalRuntime } from '../local/runtime';
import { finalLine, shutdownSignal } from '../local/shutdown';
import { credentialProblems, oktaProblems } from '../local/startup-checks';
import { importStateFileOnce, sqliteFingerprintStore } from '../local/state-store';
import { databasePath, openLocalDatabase } from '../local/store';
import { createOktaClient } from '../okta/client';
import { parseUserNameTemplate } from '../domain/username-template';

/**
 * `npm run cli -- serve`: the receiver and the worker in one process, against any Okta-compatible org URL.
 * Configured only by the environment (see README). Configuration that can never work stops it at start, one line
 * per problem. SIGINT/SIGTERM drain in-flight work within FRONTLINE_DRAIN_TIMEOUT_SECONDS; the last line says what
 * was left (exit 0 when nothing, 3 when items stay queued for the next start).
 */
export async function run(_args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const signal = shutdownSignal();
  let settings;
  try {
    settings = loadSettings(env, { requireApp: true });
  } catch (error) {
    if (error instanceof SettingsError) {
      for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
      return 1;
    }
    throw error;
  }
  const appSettings = { ...settings, appId: settings.appId ?? '' };
  const problems = [...credentialProblems(settings.credentials)];
  try {
    parseUserNameTemplate(settings.userNameTemplate);
  } catch (error) {
    problems.push(`FRONTLINE_USERNAME_TEMPLATE ${error instanceof Error ? error.message : String(error)}`);
  }
  // A key that doesn't parse is reported above, one line: building the client would throw on it instead.
  const client =
    problems.length === 0
      ? createOktaClient({ orgUrl: settings.orgUrl, credentials: settings.credentials })
      : undefined;
  if (client) {
    const okta = await oktaProblems(client, appSettings.appId, settings.orgUrl);
    problems.push(...okta.problems);
    if (okta.warning) console.error(`Warning: ${okta.warning}; starting anyway, work is kept and retried.`);
  }
  if (!client || problems.length > 0) {
    for (const problem of problems) console.error(`Configuration error: ${problem}`);
    return 1;
  }

  const logger = new Logger({ serviceName: 'frontline-local' });
  const db = openLocalDatabase(settings.dataDir);
  const imported = importStateFileOnce(db, settings.stateFile);
  if (imported > 0) console.log(`Imported ${imported} confirmed certificate(s) from ${settings.stateFile}.`);
  const runtime = await startLocalRuntime({
    settings: appSettings,
    db,
    logger,
    onAppConfigEvents: localAppCheck({
      client,
      settings: appSettings,
      fingerprints: sqliteFingerprintStore(db),
      logger,
    }),
  });
  const stats = runtime.queue.stats();
  console.log(
    `Frontline provisioner listening on ${runtime.hookUrl} (readiness: ${runtime.url}/healthz); ` +
      `store ${databasePath(settings.dataDir)}: ${stats.queued} queued, ${stats.dead} dead letters`,
  );

  const received = await signal;
  console.log(
    `${received}: stopped accepting; draining in-flight work (up to ${settings.drainTimeoutSeconds} s)…`,
  );
  const report = await runtime.stop();
  db.close();
  console.log(finalLine(report));
  return report.leftQueued + report.leftInFlight.length > 0 ? 3 : 0;
}
