import {
  effectiveUserNameTemplate,
  type IdentityDrift,
  type IdentityDriftReport,
} from '../domain/identity-drift';
import {
  parseUserNameTemplate,
  UserNameTemplateError,
  type UserNameTemplate,
} from '../domain/username-template';
import { AppGuardError } from '../app-guard/check';
import type { GuardDirectory, RawApp } from '../app-guard/okta-port';
import { forEachBounded } from './plan';

/** Identity drift as the guard reports it; `unsupported` when the template uses Okta EL the renderer can't run. */
export type IdentityReport = IdentityDriftReport | { template: string; unsupported: string };

/**
 * The template that names the app's users: FRONTLINE_USERNAME_TEMPLATE when set, else the app's own (as read).
 * An app template the renderer can't evaluate is an error that says what to do, never a silent fallback to
 * another template (that would assign users under a different Frontline identity).
 */
export function userNameTemplateOf(
  app: RawApp,
  pinned: string | undefined,
): { text: string; template: UserNameTemplate } {
  const text = pinned ?? effectiveUserNameTemplate(undefined, app);
  try {
    return { text, template: parseUserNameTemplate(text) };
  } catch (err) {
    if (!(err instanceof UserNameTemplateError) || pinned !== undefined) throw err;
    throw new AppGuardError(
      `the app's username template ${text} uses Okta Expression Language this tool can't evaluate; set ` +
        'FRONTLINE_USERNAME_TEMPLATE to an equivalent supported expression (docs/configuration.md)',
      { cause: err },
    );
  }
}

export interface FixUserNamesResult {
  fixed: IdentityDrift[];
  failed: { userId: string; error: string }[];
}

/**
 * Sets each drifted assignment's username to the template's (`reconcile --fix-usernames`). Each user then signs in
 * to Frontline as a new identity: only ever on that explicit request.
 */
export async function fixUserNames(
  okta: GuardDirectory,
  appId: string,
  drift: readonly IdentityDrift[],
  concurrency = 4,
): Promise<FixUserNamesResult> {
  const result: FixUserNamesResult = { fixed: [], failed: [] };
  await forEachBounded(drift, concurrency, async (d) => {
    try {
      await okta.updateAppUserName(appId, d.userId, d.expected);
      result.fixed.push(d);
    } catch (err) {
      result.failed.push({ userId: d.userId, error: err instanceof Error ? err.message : String(err) });
    }
  });
  return result;
}

export function describeIdentity(report: IdentityReport): string[] {
  if ('unsupported' in report) {
    return [`Usernames not compared: ${report.unsupported}.`];
  }
  const lines: string[] = [];
  if (report.drift.length > 0) {
    lines.push(
      `Identity drift: ${report.drift.length} assignment(s) whose username is not what ${report.template} gives. ` +
        'Frontline knows each user by their username, so these are kept; `reconcile --fix-usernames` changes them ' +
        '(each user then gets a new, empty Frontline identity).',
    );
    for (const d of report.drift)
      lines.push(`  ${d.userId}: "${d.userName}" (template gives "${d.expected}")`);
  }
  for (const u of report.underivable) lines.push(`  ${u.userId}: username not derivable: ${u.reason}`);
  return lines;
}
