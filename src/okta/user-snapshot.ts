import {
  decide,
  type Decision,
  type ObservedAssignment,
  type ObservedUser,
  type UserNameResult,
} from '../domain/desired-state';
import { renderUserName, type UserNameTemplate } from '../domain/username-template';
import type { DirectoryAppLink, DirectoryUser, OktaDirectory } from './directory';

/*
 * The worker's observe step as a function of its own: the three users-bucket reads, and how they become the pure
 * decision's input. `explain` uses it to run exactly what a convergence would decide; src/worker/converge.ts has
 * the same steps inline (its observeAndDecide) and can call this instead.
 */

export interface UserSnapshot {
  user: DirectoryUser;
  groupIds: string[];
  links: DirectoryAppLink[];
}

export interface ObserveSettings {
  appId: string;
  groupId: string;
  userNameTemplate: UserNameTemplate;
  clearUserTypeOnRemoval: boolean;
  pruneUnmanaged: boolean;
}

/** `GET /users/{id}`, then its groups and appLinks; null when the user is gone (404). */
export async function readUserSnapshot(
  directory: OktaDirectory,
  userId: string,
): Promise<UserSnapshot | null> {
  const user = await directory.getUser(userId);
  if (!user) return null;
  const [groupIds, links] = await Promise.all([
    directory.listUserGroupIds(userId),
    directory.listAppLinks(userId),
  ]);
  return { user, groupIds, links };
}

/** What the decision sees. appLinks lists the app when the user has it (directly or by group); absence is a hint. */
export function observeSnapshot(
  snapshot: UserSnapshot | null,
  settings: Pick<ObserveSettings, 'appId' | 'groupId' | 'userNameTemplate'>,
): { observed: ObservedUser; userName: UserNameResult } {
  if (!snapshot) {
    return {
      observed: { status: 'missing', userType: undefined, inGroup: false, assignment: 'unknown' },
      userName: { ok: false, reason: 'user not found' },
    };
  }
  const assignment: ObservedAssignment = snapshot.links.some((l) => l.appInstanceId === settings.appId)
    ? 'assigned'
    : 'unknown';
  const userType = snapshot.user.profile.userType;
  return {
    observed: {
      status: snapshot.user.status,
      userType: typeof userType === 'string' ? userType : null,
      inGroup: snapshot.groupIds.includes(settings.groupId),
      assignment,
    },
    userName: renderUserName(settings.userNameTemplate, snapshot.user.profile),
  };
}

/** The worker's decision for this observation and these triggers. */
export function decideFor(
  observed: ObservedUser,
  userName: UserNameResult,
  triggerTypes: readonly string[],
  settings: Pick<ObserveSettings, 'clearUserTypeOnRemoval' | 'pruneUnmanaged'>,
): Decision {
  return decide(observed, triggerTypes, {
    clearUserTypeOnRemoval: settings.clearUserTypeOnRemoval,
    pruneUnmanaged: settings.pruneUnmanaged,
    userName,
  });
}
