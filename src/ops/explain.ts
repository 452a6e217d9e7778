import type { Action, Decision, ObservedUser } from '../domain/desired-state';
import { ENTITLED_STATUSES, FRONTLINE_USER_TYPE } from '../domain/desired-state';
import { isOktaId } from '../domain/okta-id';
import { describeGroups, type Policy } from '../domain/policy';
import type { OktaDirectory } from '../okta/directory';
import { OktaPermanentError } from '../okta/errors';
import { oktaJson, type RawOktaClient } from '../okta/http';
import { getAppRaw } from '../okta/apps';
import { listFederatedClaims } from '../okta/federated-claims';
import type { AppConfigRules } from '../domain/app-config';
import { expectedSignIn, type ExpectedSignIn } from '../domain/sign-in';
import { decideFor, observeSnapshot, readUserSnapshot, type ObserveSettings } from '../worker/observe';
import { ExplainError } from './errors';

/*
 * `explain`: why a user has (or lacks) Frontline. Reads what the worker reads, runs the worker's pure decision, and
 * also reads the app user (the one place the assignment's scope is known) to say when a convergence and the
 * reconcile would see different things. Writes nothing.
 */

export interface AppUserView {
  scope: string | undefined;
  userName: string | undefined;
  status: string | undefined;
}

export interface ExplainReport {
  userId: string;
  login: string | undefined;
  /** What Okta holds now. */
  has: {
    status: string;
    userType: string | null | undefined;
    inGroup: boolean;
    /** The app is among the user's appLinks (what the worker sees). */
    appLink: boolean;
    /** The app user record, null when there is none. */
    appUser: AppUserView | null;
    /** The `userType` recorded before this tool set "agent", which clearing the role puts back; null: none. */
    recordedUserType: string | null;
  };
  /** What the decision says the user should have; `unchanged` when it leaves the user alone (see `skipped`). */
  should: 'assigned' | 'unassigned' | 'unchanged';
  /** The writes a convergence would make now, in order (none when nothing differs). */
  changes: Action[];
  skipped: { code: string; reason: string } | undefined;
  /** The facts that led there, one sentence each. */
  why: string[];
  /** The trigger event types the decision was run for (none: a profile update or a reconcile). */
  triggers: string[];
  /** What Frontline would receive if the user signed in now (NameID, attributes), and why it would fail. */
  frontline: ExpectedSignIn;
}

export async function explainUser(
  deps: {
    directory: OktaDirectory;
    client: RawOktaClient;
    settings: ObserveSettings;
    /** The app rules when the Realm SID is known: the assertion's addresses are then checked too. */
    rules?: Pick<AppConfigRules, 'acsUrl' | 'audience'> | undefined;
    /** The role recorded before onboarding overwrote it (src/domain/user-type-memory.ts). @default none */
    recordedUserType?: (userId: string) => Promise<string | undefined>;
  },
  input: { user: string; triggers: readonly string[] },
): Promise<ExplainReport> {
  const { directory, client, settings } = deps;
  const userId = isOktaId(input.user) ? input.user : await userIdOfLogin(client, input.user);
  const snapshot = await readUserSnapshot(directory, userId, settings.policy, settings.appId);
  if (!snapshot) throw new ExplainError(`no Okta user ${userId}`);
  const { observed, userName } = observeSnapshot(snapshot, settings);
  const decision = decideFor(observed, userName, input.triggers, settings.policy);
  const appUser = await readAppUser(client, settings.appId, userId);
  const frontline = expectedSignIn({
    app: await getAppRaw(client, settings.appId),
    claims: await listFederatedClaims(client, settings.appId),
    rules: deps.rules,
    user: { status: snapshot.user.status, profile: snapshot.user.profile },
    appUser,
  });
  const login = snapshot.user.profile.login;
  const recordedUserType = (await deps.recordedUserType?.(userId)) ?? null;
  const why = reasons(observed, decision, appUser, settings);
  if (recordedUserType !== null) {
    why.push(
      `userType held ${JSON.stringify(recordedUserType)} before this tool set "agent" (recorded): clearing the role ` +
        'on removal puts it back',
    );
  }
  return {
    userId,
    login: typeof login === 'string' ? login : undefined,
    has: {
      status: observed.status,
      userType: observed.userType,
      inGroup: observed.inGroup,
      appLink: observed.assignment === 'assigned',
      appUser,
      recordedUserType,
    },
    should: decision.kind === 'apply' && decision.desired !== 'kept' ? decision.desired : 'unchanged',
    changes: decision.kind === 'apply' ? decision.actions : [],
    skipped:
      decision.kind === 'skip'
        ? { code: decision.code, reason: decision.reason }
        : decision.kind === 'retry'
          ? { code: 'in-transition', reason: decision.reason }
          : undefined,
    why,
    triggers: [...input.triggers],
    frontline,
  };
}

function reasons(
  observed: ObservedUser,
  decision: Decision,
  appUser: AppUserView | null,
  settings: ObserveSettings,
): string[] {
  const entitled = (ENTITLED_STATUSES as readonly string[]).includes(observed.status);
  const why = [
    `status ${observed.status}: ${entitled ? 'may have Frontline' : observed.status === 'STAGED' ? 'not activated yet' : 'must not have Frontline'}`,
    `${observed.inGroup ? 'in' : 'not in'} ${groupsPhrase(settings.policy)}`,
    `profile.userType is ${observed.userType === null || observed.userType === undefined ? 'unset' : JSON.stringify(observed.userType)}` +
      (observed.userType === FRONTLINE_USER_TYPE ? ' (onboarded by this tool)' : ''),
    observed.assignment === 'assigned'
      ? `the app ${settings.appId} is among the user's appLinks`
      : `the app ${settings.appId} is not among the user's appLinks`,
    appUser
      ? `assigned to the app with scope ${appUser.scope ?? '?'} as "${appUser.userName ?? '?'}"`
      : 'no app user record: not assigned',
  ];
  if (decision.kind === 'skip') why.push(`left alone: ${decision.reason}`);
  else if (decision.kind === 'retry') why.push(`not decided yet: ${decision.reason}`);
  else if (decision.actions.length === 0) why.push('nothing differs: a convergence makes no write');
  if (appUser && observed.assignment !== 'assigned') {
    why.push(
      'appLinks do not list the app although it is assigned: the reconcile, which reads app users, sees it',
    );
  }
  if (appUser?.scope === 'GROUP' && decision.kind === 'apply' && decision.desired === 'unassigned') {
    why.push('the assignment is held by a group (scope GROUP): it cannot be removed per user');
  }
  return why;
}

async function userIdOfLogin(client: RawOktaClient, login: string): Promise<string> {
  try {
    // Okta resolves a login (or its short name) in place of the id in user paths.
    const user = await oktaJson<{ id?: string }>(
      client,
      `/api/v1/users/${encodeURIComponent(login)}`,
      'GET user',
    );
    if (user?.id) return user.id;
  } catch (err) {
    if (!(err instanceof OktaPermanentError && err.kind === 'not-found')) throw err;
  }
  throw new ExplainError(`no Okta user with the id or login "${login}"`);
}

async function readAppUser(
  client: RawOktaClient,
  appId: string,
  userId: string,
): Promise<AppUserView | null> {
  try {
    const appUser = await oktaJson<{ scope?: string; status?: string; credentials?: { userName?: string } }>(
      client,
      `/api/v1/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(userId)}`,
      `GET app ${appId} user ${userId}`,
    );
    return { scope: appUser?.scope, userName: appUser?.credentials?.userName, status: appUser?.status };
  } catch (err) {
    if (err instanceof OktaPermanentError && err.kind === 'not-found') return null;
    throw err;
  }
}

const groupsPhrase = (policy: Policy): string =>
  policy.groupIds.length === 1
    ? `the group ${describeGroups(policy)}`
    : `any of the Frontline groups ${describeGroups(policy)}`;
