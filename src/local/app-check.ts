import type { AppSettings } from '../config/env';
import { desiredAppConfig } from '../domain/app-config';
import type { LogEvent } from '../domain/hook-events';
import type { RawOktaClient } from '../okta/http';
import { checkAppOnEvent, remainingFindings } from '../guard/scheduled';
import type { FingerprintStore } from '../guard/state-file';

export interface LocalAppCheckLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/**
 * The local runtime's answer to `application.lifecycle.*` events for the Frontline app: a report-only app check,
 * started after the hook has been answered (the receiver must stay within Okta's 3 s) and logged. Repairs stay an
 * explicit `repair` command locally. Without a Realm SID there are no rules to check against, which is logged.
 */
export function localAppCheck(deps: {
  client: RawOktaClient;
  settings: Pick<AppSettings, 'realmSid' | 'userNameTemplate' | 'appLabel'> & { appId: string };
  fingerprints: FingerprintStore;
  logger: LocalAppCheckLogger;
}): (events: LogEvent[]) => Promise<void> {
  const { client, settings, fingerprints, logger } = deps;
  return async (events) => {
    const eventTypes = events.map((e) => e.eventType);
    if (!settings.realmSid) {
      logger.warn('app changed in Okta; set FRONTLINE_REALM_SID to have it checked', { eventTypes });
      return;
    }
    const rules = desiredAppConfig(settings.realmSid, {
      userNameTemplate: settings.userNameTemplate,
      ...(settings.appLabel ? { label: settings.appLabel } : {}),
    });
    void (async () => {
      const outcome = await checkAppOnEvent(
        { client, metrics: { addMetric: () => undefined } },
        {
          appId: settings.appId,
          rules,
          mode: 'report',
          lastConfirmedFingerprint: await fingerprints.get(settings.appId),
        },
        events,
      );
      if (!outcome) return;
      const findings = outcome.missing ? [] : remainingFindings(outcome);
      const log =
        outcome.missing || findings.length > 0 ? logger.warn.bind(logger) : logger.info.bind(logger);
      log('app check after an Okta app change', {
        eventTypes,
        appMissing: outcome.missing,
        findings: findings.map((f) => ({ path: f.path, severity: f.severity, message: f.message })),
        hint: findings.length > 0 ? 'run `npm run cli -- check` for details, `repair` to fix' : undefined,
      });
    })().catch((error: unknown) => {
      logger.error('app check after an Okta app change failed', {
        eventTypes,
        error: error instanceof Error ? error.message : String(error),
      });
    });
  };
}
