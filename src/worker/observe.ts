import {
  decide,
  type Decision,
  type ObservedAssignment,
  type ObservedUser,
  type UserNameResult,
} from '../domain/desired-state';
import { inFrontlineGroups, type Policy } from '../domain/policy';
import { parseUserNameTemplate, renderUserName, type UserNameTemplate } from '../domain/username-template';
import type { DirectoryAppLink, DirectoryUser, OktaDirectory } from '../okta/directory';

/*
 * The worker's observe step, shared by the convergence (src/worker/converge.ts) and `explain`, so explaining a
 * user runs exactly what a convergence would decide: the users-bucket reads, and how they become the pure
 * decision's input.
 */

export interface UserSnapshot {
  user: DirectoryUser;
  groupIds: string[];
  links: DirectoryAppLink[];
  /**
   * The assignment as read from the app itself (apps bucket), when the app's link was missing and the app hides its
   * links, so appLinks could not tell (src/okta/app-link-visibility.ts): `assigned` or `not-assigned`.
   */
  assignmentRead?: 'assigned' | 'not-assigned';
}

export interface ObserveSettings {
  appId: string;
  policy: Policy;
  /** The pinned username template, parsed; undefined = the app's own, applied by Okta. */
  userNameTemplate: UserNameTemplate | undefined;
}

/** The settings the observe step runs on: the policy, and its pinned template parsed once. */
export function observeSettingsOf(appId: string, policy: Policy): ObserveSettings {
  const pinned = policy.pinnedUserNameTemplate;
  return {
    appId,
    policy,
    userNameTemplate: pinned === undefined ? undefined : parseUserNameTemplate(pinned),
  };
}

/**
 * `GET /users/{id}`, then its groups and appLinks; null when the user is gone (404). In group mode a member's
 * decision rests on the membership alone (Okta holds the assignment), so the appLinks read is made only for a
 * non-member, where a link left is the scope trap: one call per joiner saved in the bucket `/users/{id}/groups`
 * and `/users/{id}/appLinks` share ("most other /api/v1", 600/min), which measured as group mode's bottleneck
 * (docs/benchmarks.md, assignment modes).
 */
export async function readUserSnapshot(
  directory: OktaDirectory,
  userId: string,
  policy: Pick<Policy, 'groupIds' | 'assignmentMode'>,
  appId?: string,
): Promise<UserSnapshot | null> {
  const user = await directory.getUser(userId);
  if (!user) return null;
  if (policy.assignmentMode === 'group') {
    const groupIds = await directory.listUserGroupIds(userId);
    if (inFrontlineGroups(policy, groupIds)) return { user, groupIds, links: [] };
    const links = await directory.listAppLinks(userId);
    return { user, groupIds, links, ...(await assignmentBeyondLinks(directory, userId, links, appId)) };
  }
  const [groupIds, links] = await Promise.all([
    directory.listUserGroupIds(userId),
    directory.listAppLinks(userId),
  ]);
  return { user, groupIds, links, ...(await assignmentBeyondLinks(directory, userId, links, appId)) };
}

/**
 * appLinks list an app's links, not its assignments: an app that hides its links shows none for a user who holds
 * it. When the app's link is missing and the app hides its links, the assignment is read from the app (one
 * apps-bucket call, instead of a blind repeat assign or a skipped unassign); otherwise nothing more is read.
 */
async function assignmentBeyondLinks(
  directory: OktaDirectory,
  userId: string,
  links: DirectoryAppLink[],
  appId: string | undefined,
): Promise<Pick<UserSnapshot, 'assignmentRead'>> {
  if (!appId || !directory.appLinksShowAssignment || links.some((l) => l.appInstanceId === appId)) return {};
  if (await directory.appLinksShowAssignment(appId)) return {};
  const userName = await directory.getAppUserName(appId, userId);
  return { assignmentRead: userName === null ? 'not-assigned' : 'assigned' };
}

/** What the decision sees. appLinks lists the app when the user has it (directly or by group); absence is a hint. */
export function observeSnapshot(
  snapshot: UserSnapshot | null,
  settings: ObserveSettings,
): { observed: ObservedUser; userName: UserNameResult | undefined } {
  if (!snapshot) {
    return {
      observed: { status: 'missing', userType: undefined, inGroup: false, assignment: 'unknown' },
      userName: { ok: false, reason: 'user not found' },
    };
  }
  const assignment: ObservedAssignment = snapshot.links.some((l) => l.appInstanceId === settings.appId)
    ? 'assigned'
    : (snapshot.assignmentRead ?? 'unknown');
  const userType = snapshot.user.profile.userType;
  return {
    observed: {
      status: snapshot.user.status,
      userType: typeof userType === 'string' ? userType : null,
      inGroup: inFrontlineGroups(settings.policy, snapshot.groupIds),
      assignment,
      transitioningTo: snapshot.user.transitioningToStatus,
    },
    userName: settings.userNameTemplate && renderUserName(settings.userNameTemplate, snapshot.user.profile),
  };
}

/** The worker's decision for this observation and these triggers, under the policy. */
export function decideFor(
  observed: ObservedUser,
  userName: UserNameResult | undefined,
  triggerTypes: readonly string[],
  policy: Policy,
): Decision {
  return decide(observed, triggerTypes, { ...policy, userName });
}
