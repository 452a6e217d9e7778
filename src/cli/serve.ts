import { loadSettings, SettingsError, type AppSettings } from '../config/env';
import {
  createLocalLogger,
  defaultLogFormat,
  isLogFormat,
  LOG_FORMATS,
  type LogFormat,
} from '../local/log-format';
import { localAppCheck } from '../local/app-check';
import { logTightened, startLocalRuntime } from '../local/runtime';
import { finalLine, shutdownSignal } from '../local/shutdown';
import { oktaProblems } from '../local/startup-checks';
import { importStateFileOnce, sqliteFingerprintStore } from '../sqlite/fingerprint-store';
import { databasePath, openLocalDatabase } from '../sqlite/database';
import { claimDataDir, type DataDirClaim } from '../sqlite/data-dir';
import { DataDirLockedError } from '../sqlite/errors';
import { createOktaClient } from '../okta/client';
import { FrontlineConfigError, loadFrontlineConfig, type FrontlineConfig } from '../twilio/config';
import { EXIT, parseCommandArgs, UsageError } from './output';

const HELP = `Usage: npm run cli -- serve [--log-format pretty|json]

Runs the event-hook receiver (POST|GET /okta/event-hook, GET /healthz), the durable SQLite queue, the worker and
the backstop reconcile against OKTA_ORG_URL, configured by the environment (docs/configuration.md).
  --log-format  pretty: one readable line per entry; json: structured lines (default: pretty on a terminal,
                json otherwise)
SIGINT/SIGTERM drain in-flight work; exit 0 when nothing was left, 3 when items stay queued for the next start.
One serve per data directory: a second one on the same FRONTLINE_DATA_DIR is refused (exit 1).`;

/**
 * `npm run cli -- serve`: the receiver and the worker in one process, against any Okta-compatible org URL.
 * Configured only by the environment (docs/configuration.md). Configuration that can never work stops it at start, one line
 * per problem. SIGINT/SIGTERM drain in-flight work within FRONTLINE_DRAIN_TIMEOUT_SECONDS; the last line says what
 * was left (exit 0 when nothing, 3 when items stay queued for the next start).
 */
export async function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let logFormat;
  try {
    const { values } = parseCommandArgs(args, { 'log-format': { type: 'string' } });
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return EXIT.ok;
    }
    logFormat = values['log-format'] ?? defaultLogFormat();
    if (!isLogFormat(logFormat)) {
      throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}, not "${logFormat}"`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${HELP}\n`);
    return EXIT.error;
  }
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
  // loadSettings already refused an unreadable key and a bad username template, one line each.
  const problems: string[] = [];
  let frontline: FrontlineConfig = { enabled: false };
  try {
    frontline = loadFrontlineConfig(env);
  } catch (error) {
    if (!(error instanceof FrontlineConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) return refuse(problems);
  // First, before Okta is asked anything: a second serve on this directory is refused outright.
  let claim: DataDirClaim;
  try {
    claim = claimDataDir(settings.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(`Cannot start: ${error.message}.`);
    return 1;
  }
  try {
    return await serveOn(claim, appSettings, frontline, logFormat, signal);
  } finally {
    claim.release();
  }
}

async function serveOn(
  claim: DataDirClaim,
  settings: AppSettings & { appId: string },
  frontline: FrontlineConfig,
  logFormat: LogFormat,
  signal: Promise<NodeJS.Signals>,
): Promise<number> {
  const client = createOktaClient({ orgUrl: settings.orgUrl, credentials: settings.credentials });
  const okta = await oktaProblems(client, settings.appId, settings.orgUrl);
  if (okta.problems.length > 0) return refuse(okta.problems);
  if (okta.warning) console.error(`Warning: ${okta.warning}; starting anyway, work is kept and retried.`);

  const logger = createLocalLogger(logFormat, { serviceName: 'frontline-local' });
  logTightened(logger, claim);
  const db = openLocalDatabase(settings.dataDir);
  const imported = importStateFileOnce(db, settings.stateFile);
  if (imported > 0) console.log(`Imported ${imported} confirmed certificate(s) from ${settings.stateFile}.`);
  const runtime = await startLocalRuntime({
    settings,
    db,
    claim,
    logger,
    frontline,
    onAppConfigEvents: localAppCheck({
      client,
      settings,
      fingerprints: sqliteFingerprintStore(db),
      logger,
    }),
  });
  const stats = runtime.health().queue;
  console.log(
    `Frontline provisioner listening on ${runtime.hookUrl} (readiness: ${runtime.url}/healthz); ` +
      `store ${databasePath(settings.dataDir)}: ` +
      (stats
        ? `${stats.queued} queued, ${stats.dead} dead letters`
        : 'queue counts unavailable (database locked)'),
  );

  const received = await signal;
  console.log(
    `${received}: stopped accepting; draining in-flight work (up to ${settings.drainTimeoutSeconds} s)…`,
  );
  const report = await runtime.stop();
  db.close();
  console.log(finalLine(report));
  return report.leftQueued + report.leftInFlight.length > 0 || report.countsUnavailable ? 3 : 0;
}

function refuse(problems: readonly string[]): number {
  for (const problem of problems) console.error(`Configuration error: ${problem}`);
  return 1;
}
