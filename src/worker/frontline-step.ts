import { FRONTLINE_USER_TYPE } from '../domain/desired-state';
import { planFrontline, type FrontlineAction, type NameProfile } from '../domain/frontline';
import {
  chooseIdentity,
  trailIdentities,
  type IdentityCandidate,
  type IdentityChoice,
  type IdentityFacts,
  type IdentitySource,
} from '../domain/frontline-identity';
import { identityHintOf } from '../domain/hook-events';
import { parseUserNameTemplate, renderUserName, type UserNameTemplate } from '../domain/username-template';
import type { Policy } from '../domain/policy';
import { identitiesOf, type IdentityRecord, type IdentityStore } from '../domain/identity-record';
import type { FrontlineUsers } from '../twilio/users';
import type { DirectoryUser, OktaDirectory } from '../okta/directory';
import { OktaPermanentError } from '../okta/errors';
import type { ConvergenceOutcome } from './converge';

type Result = 'deactivated' | 'activated' | 'updated' | 'in-sync' | 'not-signed-in' | 'no-identity';

/**
 * What the Frontline step did for one user, added to the worker's outcome as `frontline`:
 * - `deactivated` / `activated` / `updated` (friendly name only): the POST that was made (`actions`);
 * - `in-sync`: the Frontline user already looked as it should;
 * - `not-signed-in`: Twilio answered 404 (20404): the user never signed in, so there is no session to end;
 * - `no-identity`: nothing on record and no candidate either (a deleted user the System Log holds nothing of).
 */
export interface FrontlineOutcome {
  identity: string | undefined;
  result: Result;
  actions: FrontlineAction[];
  /** Where the identity came from; for a leaver with nothing on record, the candidate Frontline had (if any). */
  source?: IdentitySource;
  /** A leaver with nothing on record and several candidates: each one looked up, and what Frontline said. */
  candidates?: { identity: string; source: IdentitySource; result: Result }[];
  /** Offboarding: the user's earlier recorded identities, each deactivated too (a session may live under one). */
  previous?: { identity: string; result: Result }[];
  /** Calls the step made in Okta's `/api/v1/apps*` bucket (reading an assignment's username); 0 mostly. */
  appsBucketCalls: number;
  /** Calls to the System Log (a deleted user's trail); absent when none. */
  systemLogCalls?: number;
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
 *   removes them from pools), under every identity on record, or with none on record under every candidate;
 * - `desired: 'assigned'` → the identity is recorded (after a rename hint, the assignment's new username, the old
 *   one kept in the record's history), a deactivated Frontline user is reactivated and the friendly name follows
 *   the Okta profile;
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
  /**
   * Undefined when the outcome concerns Frontline in no way, or offboarding is off. `triggerTypes`: the work item's
   * event types, for the identity hints (a changed username or profile).
   */
  run(
    outcome: ConvergenceOutcome,
    directory: OktaDirectory,
    triggerTypes?: readonly string[],
  ): Promise<FrontlineOutcome | undefined>;
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
    calls: { apps: number; logs: number },
  ): Promise<{
    choice: Extract<IdentityChoice, { kind: 'use' | 'candidates' }> | undefined;
    facts: IdentityFacts;
  }> {
    for (;;) {
      const choice = chooseIdentity(facts);
      if (choice.kind === 'use' || choice.kind === 'candidates') return { choice, facts };
      if (choice.kind === 'none') return { choice: undefined, facts };
      if (choice.kind === 'render-app-template') {
        const template = user ? await appTemplateOf(directory) : undefined;
        const rendered = template && user ? renderUserName(template, user.profile) : undefined;
        facts = { ...facts, appTemplate: rendered?.ok ? rendered.value : null };
      } else if (choice.kind === 'read-trail') {
        facts = { ...facts, trail: await trailOf(userId, directory, calls) };
      } else {
        calls.apps += 1;
        facts = { ...facts, assignment: await directory.getAppUserName(deps.appId, userId) };
      }
    }
  }

  /** A deleted user's identities in the System Log; none when the directory can't read it, or may not. */
  async function trailOf(userId: string, directory: OktaDirectory, calls: { logs: number }) {
    if (!directory.readIdentityTrail) return [];
    calls.logs += 1;
    let trail;
    try {
      trail = await directory.readIdentityTrail(userId, deps.appId);
    } catch (err) {
      // A credential without okta.logs.read (or an org without the log) can't make this lookup: no trail, no failure.
      if (err instanceof OktaPermanentError && err.kind !== 'auth') return [];
      throw err;
    }
    const template = trail.logins.length > 0 ? await appTemplateOf(directory) : undefined;
    return trailIdentities(trail, (login) => {
      const rendered = template && renderUserName(template, { login });
      return rendered?.ok ? rendered.value : undefined;
    });
  }

  async function sync(
    users: FrontlineUsers,
    identity: string,
    entitled: boolean,
    profile: NameProfile | undefined,
  ): Promise<{ identity: string; result: Result; actions: FrontlineAction[] }> {
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

  /**
   * A leaver with nothing on record: every candidate is deactivated where Frontline has it, and recorded then. When
   * Frontline has none of them and the user is an agent (`userType`, which the setup guide and this tool set; a
   * username set by hand, not by the template), the System Log's trail is asked too: the event that took the
   * assignment away carries its username. Other users' deactivations spend nothing of the small logs bucket.
   */
  async function offboardCandidates(
    users: FrontlineUsers,
    userId: string,
    choice: Extract<IdentityChoice, { kind: 'candidates' }>,
    facts: IdentityFacts,
    more: { directory: OktaDirectory; calls: { apps: number; logs: number }; agent: boolean },
  ): Promise<Omit<FrontlineOutcome, 'appsBucketCalls'>> {
    const looked: (IdentityCandidate & Awaited<ReturnType<typeof sync>>)[] = [];
    const lookUp = async (candidates: IdentityCandidate[]) => {
      for (const c of candidates.filter((d) => !looked.some((l) => l.identity === d.identity)))
        looked.push({ ...c, ...(await sync(users, c.identity, false, undefined)) });
    };
    await lookUp(choice.candidates);
    if (more.agent && facts.trail === undefined && looked.every((c) => c.result === 'not-signed-in')) {
      const trail = await trailOf(userId, more.directory, more.calls);
      const again = chooseIdentity({ ...facts, trail });
      if (again.kind === 'candidates') await lookUp(again.candidates);
    }
    const found = looked.filter((c) => c.result !== 'not-signed-in');
    // Recorded surest last, so it ends as the current identity: Okta's own answer, and what Frontline has.
    for (const c of looked.filter((l) => l.record || found.includes(l)).reverse())
      await deps.identities.record(userId, c.identity);
    const main = found[0] ?? looked[0]!;
    return {
      identity: main.identity,
      result: main.result,
      actions: main.actions,
      source: main.source,
      ...(looked.length > 1
        ? { candidates: looked.map((c) => ({ identity: c.identity, source: c.source, result: c.result })) }
        : {}),
    };
  }

  /** Offboarding from the record: the current identity, then every earlier one (a session may live under any). */
  async function offboardRecorded(
    users: FrontlineUsers,
    identity: string,
    recorded: IdentityRecord | undefined,
  ): Promise<Omit<FrontlineOutcome, 'appsBucketCalls'>> {
    const synced = await sync(users, identity, false, undefined);
    const older = (recorded?.previous ?? []).filter((i) => i !== identity);
    const previous: NonNullable<FrontlineOutcome['previous']> = [];
    for (const old of older)
      previous.push({ identity: old, result: (await sync(users, old, false, undefined)).result });
    return { ...synced, source: 'recorded', ...(previous.length > 0 ? { previous } : {}) };
  }

  return {
    async capturesIdentity(userId) {
      return !userNameTemplate && !(await deps.identities.get(userId)) && (await frontlineMayBeOn());
    },

    async run(outcome, directory, triggerTypes = []) {
      const deleted = outcome.outcome === 'skipped' && outcome.skipCode === 'user-not-found';
      const user = deleted ? null : (outcome.user ?? null);
      const removes = deleted || (outcome.outcome !== 'skipped' && outcome.desired === 'unassigned');
      const grants = outcome.outcome !== 'skipped' && outcome.desired === 'assigned' && user !== null;
      if (!removes && !grants) return undefined;
      const users = await deps.users();
      if (!users) return undefined;
      const recorded = await deps.identities.get(outcome.userId);
      const calls = { apps: 0, logs: 0 };
      const { choice, facts } = await identityFor(
        outcome.userId,
        {
          direction: grants ? 'onboard' : 'offboard',
          assignmentMode: deps.policy.assignmentMode,
          pinned: userNameTemplate && user ? renderUserName(userNameTemplate, user.profile) : undefined,
          recorded: recorded?.identity,
          fromOkta: oktaAnswerOf(outcome),
          ...(grants ? { hint: identityHintOf(triggerTypes) } : {}),
          ...(deleted ? { deleted: true } : {}),
        },
        user,
        directory,
        calls,
      );
      const counts = () => ({
        appsBucketCalls: calls.apps,
        ...(calls.logs > 0 ? { systemLogCalls: calls.logs } : {}),
      });
      // A joiner whose identity can't be told (a pinned template their profile can't render) was not assigned either.
      if (!choice && grants) return undefined;
      if (!choice) return { identity: undefined, result: 'no-identity', actions: [], ...counts() };
      if (choice.kind === 'candidates') {
        const more = { directory, calls, agent: user?.profile.userType === FRONTLINE_USER_TYPE };
        return { ...(await offboardCandidates(users, outcome.userId, choice, facts, more)), ...counts() };
      }
      // An identity the record already knows (current or earlier) is not written again: the reconcile records the
      // assignment's own username as current, and a pinned template's rendering must not flip it back each run.
      // The assignment's own username is Okta's word: it becomes current whenever it differs (a rename).
      const known = recorded !== undefined && identitiesOf(recorded).includes(choice.identity);
      const write =
        choice.source === 'assignment' ? choice.identity !== recorded?.identity : choice.record && !known;
      if (write) await deps.identities.record(outcome.userId, choice.identity);
      if (grants) {
        const synced = await sync(users, choice.identity, true, user.profile as NameProfile);
        return { ...synced, source: choice.source, ...counts() };
      }
      return { ...(await offboardRecorded(users, choice.identity, recorded)), ...counts() };
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
