import { planFrontline, type FrontlineAction, type NameProfile } from '../domain/frontline';
import { parseUserNameTemplate, renderUserName, type UserNameTemplate } from '../domain/username-template';
import type { Policy } from '../domain/policy';
import { identitiesOf, type IdentityStore } from '../frontline/identity-store';
import type { FrontlineUsers } from '../frontline/users';
import type { DirectoryProvider } from '../okta/credentials';
import type { DirectoryUser, OktaDirectory } from '../okta/directory';
import type { ConvergenceOutcome } from './converge';

/**
 * What the Frontline step did for one user, added to the worker's outcome as `frontline`:
 * - `deactivated` / `activated` / `updated` (friendly name only): the POST that was made (`actions`);
 * - `in-sync`: the Frontline user already looked as it should;
 * - `not-signed-in`: Twilio answered 404 (20404): the user never signed in, so there is no session to end;
 * - `no-identity`: a deleted Okta user this tool never recorded, so there is no identity to look up.
 */
export interface FrontlineOutcome {
  identity: string | undefined;
  result: 'deactivated' | 'activated' | 'updated' | 'in-sync' | 'not-signed-in' | 'no-identity';
  actions: FrontlineAction[];
  /** Offboarding: the user's earlier recorded identities, each deactivated too (a session may live under one). */
  previous?: { identity: string; result: FrontlineOutcome['result'] }[];
}

export interface FrontlineStepDeps {
  /**
   * The Frontline Users port, or undefined while no Twilio credentials are configured (on AWS: the secret still holds
   * the stack's placeholder); then the step does nothing at all, as before the feature.
   */
  users: () => Promise<FrontlineUsers | undefined>;
  identities: IdentityStore;
  /** The Frontline app, whose assignment holds the username when no template is pinned. */
  appId: string;
  /**
   * The policy, whole. Its pinned template, when set, renders the app username, which is the SAML NameID, i.e. the
   * identity; unset (the app's own template decides): see "Identities without a pinned template" below.
   */
  policy: Policy;
  /** Tests: the clock for the app template's cache. @default Date.now */
  now?: () => number;
}

/*
 * Identities without a pinned template. The identity is the assignment's username, which only Okta knows for sure;
 * recorded values are always Okta's own, never a guess:
 * - user mode: the worker's assign answers with it (recorded, no extra call); a member assigned earlier is read
 *   once (one apps-bucket call) and recorded; an unrecorded leaver is read just before the unassign.
 * - group mode: Okta assigns, so there is no answer to take it from, and a per-user read would spend the apps
 *   bucket group mode exists to spare. The step renders the app's own username template instead (the template
 *   Okta itself applies to group-assigned users; one `GET /api/v1/apps/{id}` per APP_TEMPLATE_TTL_MS, in the
 *   apps-item bucket) and uses the result for this run without recording it; the scheduled reconcile records every
 *   member's real username from the app's user listing (src/guard/reconcile-frontline.ts). Only a template the
 *   renderer can't evaluate falls back to the read.
 */
const APP_TEMPLATE_TTL_MS = 5 * 60_000;

/**
 * The worker's Frontline step, run after Okta has converged. It reads "does this take access away" from the
 * decision's `desired` (src/domain/desired-state.ts owns the statuses, the suspension policy included), never from
 * statuses of its own:
 * - `desired: 'unassigned'` or a deleted Okta user → the Frontline user with the recorded identity is deactivated
 *   (ends their sessions, removes them from pools);
 * - `desired: 'assigned'` → the identity is recorded, a deactivated Frontline user is reactivated and the friendly
 *   name follows the Okta profile;
 * - anything else (STAGED, unmanaged, group-held, unknown status, …) → nothing: Okta was not changed either.
 * Failures are the FrontlineError classes (429/5xx retried through the queue, 401/403 fail loudly) and
 * IdentityStoreError; they propagate so the item is retried and, in the end, dead-lettered.
 */
export interface FrontlineStep {
  /** Wraps the worker's directory provider so the step sees the user read the decision was made from. */
  observe(provider: DirectoryProvider): DirectoryProvider;
  /** Undefined when the decision concerns Frontline in no way. */
  run(outcome: ConvergenceOutcome): Promise<FrontlineOutcome | undefined>;
  /**
   * The `/api/v1/apps*` calls the step made for this user since last asked (reading an assignment's username when
   * no template is pinned), and forgets them: the worker adds them to the outcome's `appsBucketCalls`.
   */
  takeAppsBucketCalls(userId: string): number;
}

export function createFrontlineStep(deps: FrontlineStepDeps): FrontlineStep {
  const pinned = deps.policy.pinnedUserNameTemplate;
  const userNameTemplate: UserNameTemplate | undefined =
    pinned === undefined ? undefined : parseUserNameTemplate(pinned);
  // The last user GET per user id (null = 404). One user's items never run at once (FIFO group = user id).
  const reads = new Map<string, DirectoryUser | null>();
  // Apps-bucket reads per user id, so the outcome counts every call in Okta's smallest bucket, not only the writes.
  const appsCalls = new Map<string, number>();
  const readAppUserName = (directory: OktaDirectory, userId: string) => {
    appsCalls.set(userId, (appsCalls.get(userId) ?? 0) + 1);
    return directory.getAppUserName(deps.appId, userId);
  };
  const groupMode = deps.policy.assignmentMode === 'group';
  const now = deps.now ?? Date.now;
  let appTemplate: { at: number; template: UserNameTemplate | undefined } | undefined;
  /** The app's own template, parsed; undefined when the renderer can't evaluate it. */
  async function appTemplateOf(directory: OktaDirectory): Promise<UserNameTemplate | undefined> {
    if (appTemplate && now() - appTemplate.at < APP_TEMPLATE_TTL_MS) return appTemplate.template;
    const text = await directory.getAppUserNameTemplate(deps.appId);
    let template: UserNameTemplate | undefined;
    try {
      template = parseUserNameTemplate(text);
    } catch {
      template = undefined;
    }
    appTemplate = { at: now(), template };
    return template;
  }
  /** Group mode, no record: the identity the app's own template gives this profile, if it can be rendered. */
  async function renderedByApp(profile: DirectoryUser['profile']): Promise<string | undefined> {
    if (!groupMode || userNameTemplate || !okta) return undefined;
    const template = await appTemplateOf(okta);
    const rendered = template && renderUserName(template, profile);
    return rendered && rendered.ok ? rendered.value : undefined;
  }
  const frontlineMayBeOn = () =>
    deps.users().then(
      (users) => users !== undefined,
      () => true,
    );
  /**
   * No pinned template (which would give the identity), nothing on record, and Frontline on: without credentials the
   * step records nothing and costs nothing. When that can't be told (the secret unreadable just now), it counts as
   * on: after an unassign the identity is gone for good.
   */
  const unrecorded = async (userId: string): Promise<boolean> =>
    !userNameTemplate && !(await deps.identities.get(userId)) && (await frontlineMayBeOn());
  let okta: OktaDirectory | undefined;
  const tap = (directory: OktaDirectory): OktaDirectory => ({
    ...directory,
    getUser: async (userId) => {
      const user = await directory.getUser(userId);
      reads.set(userId, user);
      return user;
    },
    // User mode: the assignment's answer carries the username Okta gave; recording it costs no call.
    assignUser: async (appId, userId, userName) => {
      const given = await directory.assignUser(appId, userId, userName);
      if (given && (await unrecorded(userId))) await deps.identities.record(userId, given);
      return given;
    },
    // A leaver this tool never recorded (onboarded before offboarding was on), with no pinned template: the
    // assignment is the one place that holds their identity, so read it (one apps-bucket call) before it goes.
    unassignUser: async (appId, userId) => {
      if (await unrecorded(userId)) {
        const userName = await readAppUserName(directory, userId);
        if (userName) await deps.identities.record(userId, userName);
      }
      return directory.unassignUser(appId, userId);
    },
  });

  async function offboard(
    users: FrontlineUsers,
    userId: string,
    user: DirectoryUser | null,
  ): Promise<FrontlineOutcome> {
    const recorded = await deps.identities.get(userId);
    const rendered =
      user && userNameTemplate ? renderUserName(userNameTemplate, user.profile) : undefined;
    // The record first: it is what they signed in with, even if the template or their email changed since.
    const identity =
      recorded?.identity ??
      (rendered?.ok ? rendered.value : undefined) ??
      (user ? await renderedByApp(user.profile) : undefined);
    if (identity === undefined) return { identity, result: 'no-identity', actions: [] };
    const outcome = await sync(users, identity, false, undefined);
    const older = (recorded?.previous ?? []).filter((i) => i !== identity);
    if (older.length === 0) return outcome;
    const previous: NonNullable<FrontlineOutcome['previous']> = [];
    for (const old of older)
      previous.push({ identity: old, result: (await sync(users, old, false, undefined)).result });
    return { ...outcome, previous };
  }

  async function onboard(
    users: FrontlineUsers,
    userId: string,
    user: DirectoryUser,
  ): Promise<FrontlineOutcome | undefined> {
    const existing = await deps.identities.get(userId);
    const { identity, record } = await identityOf(userId, user, existing?.identity);
    if (!identity) return undefined;
    // An identity the record already knows (current or earlier) is not written again: the reconcile records the
    // assignment's own username as current, and a pinned template's rendering must not flip it back each run.
    if (record && !(existing && identitiesOf(existing).includes(identity))) {
      await deps.identities.record(userId, identity);
    }
    return sync(users, identity, true, user.profile as NameProfile);
  }

  /**
   * The pinned template's rendering, else what we recorded, else (group mode) the app template's rendering, used
   * but not recorded, else the assignment's username (read once). `record`: whether it is Okta's to keep.
   */
  async function identityOf(
    userId: string,
    user: DirectoryUser,
    recorded: string | undefined,
  ): Promise<{ identity: string | undefined; record: boolean }> {
    if (userNameTemplate) {
      const rendered = renderUserName(userNameTemplate, user.profile);
      return { identity: rendered.ok ? rendered.value : undefined, record: true };
    }
    if (recorded !== undefined || !okta) return { identity: recorded, record: false };
    const rendered = await renderedByApp(user.profile);
    if (rendered !== undefined) return { identity: rendered, record: false };
    return { identity: (await readAppUserName(okta, userId)) ?? undefined, record: true };
  }

  async function sync(
    users: FrontlineUsers,
    identity: string,
    entitled: boolean,
    profile: NameProfile | undefined,
  ): Promise<FrontlineOutcome> {
    const current = await users.get(identity);
    const plan = planFrontline({ entitled, current, profile });
    if (plan.kind === 'none') {
      return { identity, result: plan.reason === 'not-signed-in' ? 'not-signed-in' : 'in-sync', actions: [] };
    }
    const after = await users.update(identity, plan.update);
    // Gone between the GET and the POST: nothing left to end or to restore.
    if (!after) return { identity, result: 'not-signed-in', actions: [] };
    const result = plan.actions.includes('deactivate')
      ? 'deactivated'
      : plan.actions.includes('activate')
        ? 'activated'
        : 'updated';
    return { identity, result, actions: plan.actions };
  }

  return {
    takeAppsBucketCalls(userId) {
      const calls = appsCalls.get(userId) ?? 0;
      appsCalls.delete(userId);
      return calls;
    },
    observe: (provider) => ({
      get: async () => {
        okta = await provider.get();
        return tap(okta);
      },
      refresh: async () => {
        const fresh = await provider.refresh();
        if (fresh) okta = fresh;
        return fresh ? tap(fresh) : undefined;
      },
    }),
    async run(outcome) {
      const user = reads.get(outcome.userId);
      reads.delete(outcome.userId);
      const deleted = outcome.outcome === 'skipped' && outcome.skipCode === 'user-not-found';
      const removes = deleted || (outcome.outcome !== 'skipped' && outcome.desired === 'unassigned');
      const grants = outcome.outcome !== 'skipped' && outcome.desired === 'assigned' && user;
      if (!removes && !grants) return undefined;
      const users = await deps.users();
      if (!users) return undefined;
      return grants
        ? onboard(users, outcome.userId, user)
        : offboard(users, outcome.userId, deleted ? null : (user ?? null));
    },
  };
}
