import type { AppUser, GroupMember } from './reconcile-plan';
import { parseUserNameTemplate, renderUserName, UserNameTemplateError } from './username-template';

/**
 * Identity drift: an assignment whose app username is not what the username template gives for that user. The SAML
 * NameID is the app username, so Frontline knows the user by it: changing it moves the user to a new, empty
 * Frontline identity. Drift is therefore reported, and changed only on an explicit request
 * (`reconcile --fix-usernames`). Pure.
 */

export interface IdentityDrift {
  userId: string;
  /** The username Okta holds for the assignment (Frontline's identity for the user today). */
  userName: string;
  /** What the template gives. */
  expected: string;
}

export interface IdentityDriftReport {
  /** The template compared against: the pinned one, or the app's own. */
  template: string;
  drift: IdentityDrift[];
  /** Assigned members whose username the template cannot give (a missing attribute, say). */
  underivable: { userId: string; reason: string }[];
}

/**
 * The template that decides usernames: the one pinned in our configuration (FRONTLINE_USERNAME_TEMPLATE), else the
 * app's own `credentials.userNameTemplate.template` (the admin's choice), else Okta's default for a new app
 * (`${source.login}`, the "Okta username" format).
 */
export function effectiveUserNameTemplate(
  pinned: string | undefined,
  rawApp: Readonly<Record<string, unknown>>,
): string {
  if (pinned !== undefined) return pinned;
  const template = (rawApp.credentials as { userNameTemplate?: { template?: unknown } } | undefined)
    ?.userNameTemplate?.template;
  return typeof template === 'string' && template !== '' ? template : '${source.login}';
}

/**
 * Compares each assigned group member's app username with the template. Only members are compared: their
 * profiles come with the group listing, and they are the users the provisioner manages.
 * Throws UserNameTemplateError when the template uses an expression the renderer does not know.
 */
export function findIdentityDrift(
  template: string,
  members: readonly GroupMember[],
  appUsers: readonly AppUser[],
): IdentityDriftReport {
  const parsed = parseUserNameTemplate(template);
  const byId = new Map(members.map((m) => [m.id, m]));
  const report: IdentityDriftReport = { template, drift: [], underivable: [] };
  for (const appUser of appUsers) {
    const member = byId.get(appUser.id);
    if (!member || appUser.userName === undefined) continue;
    const rendered = renderUserName(parsed, member.profile);
    if (!rendered.ok) report.underivable.push({ userId: appUser.id, reason: rendered.reason });
    else if (rendered.value !== appUser.userName) {
      report.drift.push({ userId: appUser.id, userName: appUser.userName, expected: rendered.value });
    }
  }
  return report;
}

/** Like findIdentityDrift, but a template the renderer does not know is a reason instead of an error. */
export function tryFindIdentityDrift(
  template: string,
  members: readonly GroupMember[],
  appUsers: readonly AppUser[],
): IdentityDriftReport | { template: string; unsupported: string } {
  try {
    return findIdentityDrift(template, members, appUsers);
  } catch (err) {
    if (err instanceof UserNameTemplateError) return { template, unsupported: err.message };
    throw err;
  }
}
