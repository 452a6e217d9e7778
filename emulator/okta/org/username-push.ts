import { nowIso } from '../ids';
import { appUserEvent } from './event-targets';
import { requireApp } from './lookup';
import type { AppUserRecord, Org, UserRecord } from './records';
import { renderAppUserName } from './username-template';

/*
 * When Okta rewrites app usernames on its own, as support.okta.com "Application Usernames Are Not Being Updated
 * Automatically" and help.okta.com "Automatically update an app username" describe it:
 * - a profile change re-derives the app username of every app whose username format is Custom and set to "Create
 *   and update" (Apps API `credentials.userNameTemplate`: `type: CUSTOM`, `pushStatus: PUSH`, "Determines if the
 *   username is pushed to the app on updates for CUSTOM type"); a built-in format, or "Create only", keeps it
 *   (provisioning, the article's other condition, is not modelled: the Frontline app has none);
 * - the app's "Update Now" (Sign On tab) "will update the application username of all users assigned to the
 *   application. It is not possible to exclude users": every app user gets the template's rendering, whatever the
 *   format and the push setting.
 * Each rewritten username is an `application.user_membership.change_username` event ("Change user's application
 * username" in Okta's event type catalog, which does not tag it event-hook-eligible: hooks never receive it, the
 * System Log has it).
 */

interface UserNameTemplateJson {
  template?: unknown;
  type?: unknown;
  pushStatus?: unknown;
}

function templateOf(org: Org, appId: string): UserNameTemplateJson | undefined {
  return (org.apps.get(appId)?.json.credentials as { userNameTemplate?: UserNameTemplateJson } | undefined)
    ?.userNameTemplate;
}

/** The profile attributes a template reads (`source.<attribute>`). */
export function templateSourceAttributes(template: string): string[] {
  return [...new Set([...template.matchAll(/source\.(\w+)/g)].map((m) => m[1]!))];
}

function rename(
  org: Org,
  appId: string,
  user: UserRecord,
  appUser: AppUserRecord,
  template: string,
): boolean {
  const next = renderAppUserName(template, user.profile);
  if (!next || next === appUser.userName || next.length > 100) return false;
  appUser.userName = next;
  appUser.lastUpdated = nowIso();
  appUserEvent(org, appId, user, appUser, 'change_username');
  return true;
}

/** After a profile update: re-derives the user's app usernames where the app pushes username updates. */
export function pushAppUserNames(org: Org, user: UserRecord, changedAttributes: readonly string[]): void {
  for (const [appId, users] of org.appUsers) {
    const appUser = users.get(user.id);
    const t = templateOf(org, appId);
    if (!appUser || typeof t?.template !== 'string' || t.type !== 'CUSTOM' || t.pushStatus !== 'PUSH')
      continue;
    const sources = templateSourceAttributes(t.template);
    if (!changedAttributes.some((a) => sources.includes(a))) continue;
    rename(org, appId, user, appUser, t.template);
  }
}

/** The app's "Update Now": every app user's username from the app's template. Returns how many changed. */
export function updateAllAppUserNames(org: Org, appId: string): number {
  requireApp(org, appId);
  const template = templateOf(org, appId)?.template;
  const text = typeof template === 'string' && template !== '' ? template : '${source.login}';
  let changed = 0;
  for (const appUser of org.appUsers.get(appId)!.values()) {
    const user = org.users.get(appUser.id);
    if (user && rename(org, appId, user, appUser, text)) changed += 1;
  }
  return changed;
}
