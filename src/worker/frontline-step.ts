import { planFrontline, type FrontlineAction, type NameProfile } from '../domain/frontline';
import { chooseIdentity, type IdentityChoice, type IdentityFacts } from '../domain/frontline-identity';
import { parseUserNameTemplate, renderUserName, type UserNameTemplate } from '../domain/username-template';
import type { Policy } from '../domain/policy';
import { identitiesOf, type IdentityStore } from '../domain/identity-record';
import type { FrontlineUsers } from '../twilio/users';
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
  /** Calls the step made in Okta's `/api/v1/apps*` bucket (reading an assignment's username); 0 mostly. */
  appsBucketCalls: number;
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
   * identity; unset, the app's own template decides (src/domain/frontline-identity.ts says what then).
   */
  policy: Policy;
  /** Tests: the clock for the app template's cache. @default Date.now */
  now?: () => number;
}

/** How long the app's own username template is reused before it is read again (one apps-item call). */
const APP_TEMPLATE_TTL_MS = 5 * 60_000;

/**
 * The worker's Frontline step, run strictly after Okta has converged, from what the convergence returned: the user
 * it read, the decision's desired access, and Okta's own answers (the username an assignment answered with, or the
 * one read just before an unassign, which the convergence makes when `capturesIdentity` says so). Which identity
 * that gives is the pure src/domain/frontline-identity.ts; Frontline's change is src/domain/frontline.ts:
 * - `desired: 'unassigned'` or a deleted Okta user → the Frontline user is deactivated (ends their sessions,
 *   removes them from pools), under every identity on record;
 * - `desired: 'assigned'` → the identity is recorded, a deactivated Frontline user is reactivated and the friendly
 *   name follows the Okta profile;
 * - anything else (STAGED, unmanaged, group-held, unknown status, …) → nothing: Okta was not changed either.
 * Failures are the FrontlineError classes (429/5xx retried through the queue, 401/403 fail loudly) and
 * IdentityStoreError; they propagate so the item is retried and, in the end, dead-lettered.
 */
export interface FrontlineStep {
  /**
   * Asked by the convergence before an unassign: true when the assignment's username must be read first (no
   * pinned template, nothing on record, and Frontline on; when that can't be told, the secret unreadable just now,
   * it counts as on: after the unassign the identity is gone for good).
   */
  capturesIdentity(userId: string): Promise<boolean>;
  /** Undefined when the outcome concerns Frontline in no way, or offboarding is off. */
  run(outcome: ConvergenceOutcome, directory: OktaDirectory): Promise<FrontlineOutcome | undefined>;
}

export function createFrontlineStep(deps: FrontlineStepDeps): FrontlineStep {
  const pinned = deps.policy.pinnedUserNameTemplate;
  const userNameTemplate: UserNameTemplate | undefined =
    pinned === undefined ? undefined : parseUserNameTemplate(pinned);
  const now = deps.now ?? Date.now;
  let appTemplate: { at: number; template: UserNameTemplate | undefined } | undefined;

  /** The app's own template, parsed (cached); undefined when the renderer can't evaluate it. */
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

  const frontlineMayBeOn = () =>
    deps.users().then(
      (users) => users !== undefined,
      () => true,
    );

  /** Asks chooseIdentity, gathering the facts it asks for, until it decides. */
  async function identityFor(
    userId: string,
    facts: IdentityFacts,
    user: DirectoryUser | null,
    directory: OktaDirectory,
    calls: { apps: number },
  ): Promise<Extract<IdentityChoice, { kind: 'use' }> | undefined> {
    for (;;) {
      const choice = chooseIdentity(facts);
      if (choice.kind === 'use') return choice;
      if (choice.kind === 'none') return undefined;
      if (choice.kind === 'render-app-template') {
        const template = user ? await appTemplateOf(directory) : undefined;
        const rendered = template && user ? renderUserName(template, user.profile) : undefined;
        facts = { ...facts, appTemplate: rendered?.ok ? rendered.value : null };
      } else {
        calls.apps += 1;
        facts = { ...facts, assignment: await directory.getAppUserName(deps.appId, userId) };
      }
    }
  }

  async function sync(
    users: FrontlineUsers,
    identity: string,
    entitled: boolean,
    profile: NameProfile | undefined,
  ): Promise<Omit<FrontlineOutcome, 'appsBucketCalls'>> {
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
    async capturesIdentity(userId) {
      return !userNameTemplate && !(await deps.identities.get(userId)) && (await frontlineMayBeOn());
    },

    async run(outcome, directory) {
      const deleted = outcome.outcome === 'skipped' && outcome.skipCode === 'user-not-found';
      const user = deleted ? null : (outcome.user ?? null);
      const removes = deleted || (outcome.outcome !== 'skipped' && outcome.desired === 'unassigned');
      const grants = outcome.outcome !== 'skipped' && outcome.desired === 'assigned' && user !== null;
      if (!removes && !grants) return undefined;
      const users = await deps.users();
      if (!users) return undefined;
      const recorded = await deps.identities.get(outcome.userId);
      const calls = { apps: 0 };
      const choice = await identityFor(
        outcome.userId,
        {
          direction: grants ? 'onboard' : 'offboard',
          assignmentMode: deps.policy.assignmentMode,
          pinned: userNameTemplate && user ? renderUserName(userNameTemplate, user.profile) : undefined,
          recorded: recorded?.identity,
          fromOkta: oktaAnswerOf(outcome),
        },
        user,
        directory,
        calls,
      );
      // A joiner whose identity can't be told (a pinned template their profile can't render) was not assigned either.
      if (!choice && grants) return undefined;
      if (!choice)
        return { identity: undefined, result: 'no-identity', actions: [], appsBucketCalls: calls.apps };
      // An identity the record already knows (current or earlier) is not written again: the reconcile records the
      // assignment's own username as current, and a pinned template's rendering must not flip it back each run.
      if (choice.record && !(recorded && identitiesOf(recorded).includes(choice.identity))) {
        await deps.identities.record(outcome.userId, choice.identity);
      }
      if (grants) {
        const synced = await sync(users, choice.identity, true, user.profile as NameProfile);
        return { ...synced, appsBucketCalls: calls.apps };
      }
      const synced = await sync(users, choice.identity, false, undefined);
      const older = (recorded?.previous ?? []).filter((i) => i !== choice.identity);
      if (older.length === 0) return { ...synced, appsBucketCalls: calls.apps };
      const previous: NonNullable<FrontlineOutcome['previous']> = [];
      for (const old of older)
        previous.push({ identity: old, result: (await sync(users, old, false, undefined)).result });
      return { ...synced, previous, appsBucketCalls: calls.apps };
    },
  };
}

/** Okta's own answer in this convergence: the username an assignment answered with, or the one read before an unassign. */
function oktaAnswerOf(outcome: ConvergenceOutcome): string | undefined {
  for (const action of outcome.actions) {
    if ((action.type === 'assign' || action.type === 'read-app-username') && action.userName)
      return action.userName;
  }
  return undefined;
}
