import type { AppSettings } from '../config/env';
import { appRulesFor } from '../domain/app-config';
import type { LogEvent } from '../domain/hook-events';
import type { RawOktaClient } from '../okta/http';
import { checkAppOnEvent, remainingFindings } from '../app-guard/run';
import { createGuardDirectory } from '../okta/guard-directory';
import type { FingerprintStore } from '../app-guard/fingerprint-store';

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
  settings: Pick<AppSettings, 'realmSid' | 'policy' | 'appLabel'> &
    Partial<Pick<AppSettings, 'certificateExpiryWarningDays'>> & { appId: string };
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
    // Built as `check` and the reconcile Lambda build them (src/domain/app-config.ts appRulesFor).
    const rules = appRulesFor(settings.realmSid, settings.policy, settings.appLabel);
    void (async () => {
      const outcome = await checkAppOnEvent(
        createGuardDirectory(client),
        {
          appId: settings.appId,
          rules,
          mode: 'report',
          lastConfirmedFingerprint: await fingerprints.get(settings.appId),
          recordedIdpIssuer: await fingerprints.getIdpIssuer?.(settings.appId),
          expiryWarningDays: settings.certificateExpiryWarningDays,
        },
        events,
        { metrics: { addMetric: () => undefined } },
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
