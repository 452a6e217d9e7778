import type { RawOktaClient } from '../okta/http';
import { createGuardDirectory } from '../okta/guard-directory';
import {
  recordAppListing,
  type AppListingRecord,
  type IdentityRecordDeps,
} from '../reconcile/record-identities';

export interface RecordLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/**
 * serve's install-day record: at start, with Frontline offboarding on, the identity of every current app user from
 * one listing of the app's users (src/reconcile/record-identities.ts), so an agent who predates the product is
 * known from the first minute instead of at the first backstop run, an interval later. It runs beside the queue;
 * a failure (Okta unreachable at start) is logged, and the backstop's runs record the same from their listing.
 */
export async function recordIdentitiesAtStart(
  client: RawOktaClient,
  appId: string,
  deps: IdentityRecordDeps,
  logger: RecordLogger,
): Promise<AppListingRecord | undefined> {
  const started = Date.now();
  try {
    const result = await recordAppListing(createGuardDirectory(client), appId, deps);
    if (result) {
      logger.info('Frontline identities recorded from the app users listing', {
        ...result,
        durationMs: Date.now() - started,
      });
    }
    return result;
  } catch (error) {
    logger.warn('could not record the app users’ Frontline identities at start; the backstop records them', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return undefined;
  }
}
