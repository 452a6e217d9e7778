import type { Action, UserNameResult } from './desired-state';
import type { IdentityHint } from './identity-hints';

/*
 * Which Frontline identity a user has: Frontline's identity for an agent is the SAML NameID, which the Frontline app
 * sends as the Okta app username. Only Okta knows it for sure, so a recorded value is always Okta's own, never a
 * guess. Pure: the worker's Frontline step gathers the facts (asking for the costly ones only when this says so) and
 * this decides. Design: docs/design.md, "Ending Frontline sessions".
 */

/** What is known so far; `undefined` = not looked up yet, `null` = looked up, nothing there. */
export interface IdentityFacts {
  /** `onboard`: the user keeps or gets Frontline; `offboard`: the user loses it (or was deleted). */
  direction: 'onboard' | 'offboard';
  assignmentMode: 'user' | 'group';
  /** The pinned template rendered on the profile; undefined when no template is pinned, or no profile (deleted). */
  pinned: UserNameResult | undefined;
  /** The identity on record (the current one). */
  recorded: string | undefined;
  /** Okta's own answer in this convergence: the username the assignment answered with, or the one read before the unassign. */
  fromOkta: string | undefined;
  /** The app's own template rendered on the profile (null when it can't be, or there is no profile). */
  appTemplate?: string | null;
  /** The assignment's username, read from Okta (null: no assignment). */
  assignment?: string | null;
  /** Onboarding: the triggers say the app username may have changed (src/domain/identity-hints.ts). */
  hint?: IdentityHint | undefined;
  /** The Okta user is gone (404): no profile to render a template on. */
  deleted?: boolean;
  /** A deleted user: the identities the System Log still carries of them (`readIdentityTrail`, then rendered). */
  trail?: readonly TrailIdentity[];
}

export type IdentitySource =
  | 'pinned-template'
  | 'recorded'
  | 'okta-answer'
  | 'app-template'
  | 'assignment'
  /** An `application.user_membership.*` event of the app still in the System Log: its `AppUser` target's alternateId. */
  | 'system-log'
  /** The login an event's `User` target still carries (alternateId), rendered by the app's template. */
  | 'event-login';

export interface TrailIdentity {
  identity: string;
  source: Extract<IdentitySource, 'system-log' | 'event-login'>;
}

/** What the System Log still holds of a user, newest first (the adapter reads it; src/okta/identity-trail.ts). */
export interface IdentityTrail {
  /** The app usernames (`AppUser` alternateIds) of the app's `application.user_membership.*` events. */
  appUserNames: string[];
  /** The logins (`User` alternateIds) of the events that target the user. */
  logins: string[];
}

/** One identity to look up in Frontline; `record`: Okta's own value, kept whether or not Frontline has it. */
export interface IdentityCandidate {
  identity: string;
  source: IdentitySource;
  record: boolean;
}

export type IdentityChoice =
  /** `record`: the value is Okta's to keep (it becomes the identity on record). */
  | { kind: 'use'; identity: string; record: boolean; source: IdentitySource }
  /** A leaver with nothing on record: every identity they may have signed in with, the surest first. */
  | { kind: 'candidates'; candidates: IdentityCandidate[] }
  /** Render the app's own username template on the profile (one cached app read), then ask again. */
  | { kind: 'render-app-template' }
  /** Read the assignment's username (one apps-bucket call), then ask again. */
  | { kind: 'read-assignment' }
  /** Read what the System Log still carries of a deleted user (one logs-bucket call), then ask again. */
  | { kind: 'read-trail' }
  | { kind: 'none' };

/**
 * The identity, in order of trust:
 * - onboarding: after an identity hint, the assignment's own username when it may differ from the record (read
 *   once, recorded; the old one stays in the record's history); then the pinned template's rendering (it is what
 *   Okta sends), what we recorded, Okta's answer in this convergence, in group mode the app template's rendering
 *   (used, not recorded: Okta assigned, so no answer was seen, and a per-user read would spend the apps bucket
 *   group mode exists to spare; the reconcile records the real value from its listing), and last the assignment
 *   itself, read once and recorded;
 * - offboarding: what we recorded (it is what they signed in with, even if the template or their email changed
 *   since); with nothing on record, every candidate: the username read just before the unassign (while the
 *   assignment existed), the pinned template's and the app template's renderings on the profile (a deactivated
 *   user's profile is still readable), and for a deleted user what the System Log still carries.
 */
export function chooseIdentity(facts: IdentityFacts): IdentityChoice {
  return facts.direction === 'onboard' ? onboarding(facts) : offboarding(facts);
}

const use = (identity: string, record: boolean, source: IdentitySource): IdentityChoice => ({
  kind: 'use',
  identity,
  record,
  source,
});

function onboarding(facts: IdentityFacts): IdentityChoice {
  const pinned = facts.pinned?.ok ? facts.pinned.value : undefined;
  if (facts.hint) {
    const renamed = mayBeRenamed(facts, pinned);
    if (renamed !== false) {
      if (renamed === 'render') return { kind: 'render-app-template' };
      if (facts.assignment === undefined) return { kind: 'read-assignment' };
      if (facts.assignment !== null) return use(facts.assignment, true, 'assignment');
    }
  }
  // A pinned template decides alone: a profile it can't render has no identity (the assignment was skipped too).
  if (facts.pinned) return pinned === undefined ? { kind: 'none' } : use(pinned, true, 'pinned-template');
  if (facts.recorded !== undefined) return use(facts.recorded, false, 'recorded');
  if (facts.fromOkta !== undefined) return use(facts.fromOkta, true, 'okta-answer');
  if (facts.assignmentMode === 'group') {
    if (facts.appTemplate === undefined) return { kind: 'render-app-template' };
    if (facts.appTemplate !== null) return use(facts.appTemplate, false, 'app-template');
  }
  if (facts.assignment === undefined) return { kind: 'read-assignment' };
  return facts.assignment === null ? { kind: 'none' } : use(facts.assignment, true, 'assignment');
}

/**
 * After an identity hint: whether the username may no longer be the one on record. Okta changed it (certain), or a
 * profile attribute changed and the template now renders something else than the record (`render`: the app
 * template's rendering is needed to tell). A rendering that equals the record spares the apps-bucket read.
 */
function mayBeRenamed(facts: IdentityFacts, pinned: string | undefined): boolean | 'render' {
  // An assignment made in this convergence answered with Okta's username just now.
  if (facts.fromOkta !== undefined) return false;
  if (facts.hint === 'username-changed' || facts.recorded === undefined) return true;
  if (pinned !== undefined) return pinned !== facts.recorded;
  if (facts.appTemplate === undefined) return 'render';
  return facts.appTemplate !== facts.recorded;
}

function offboarding(facts: IdentityFacts): IdentityChoice {
  if (facts.recorded !== undefined) return use(facts.recorded, false, 'recorded');
  // Nothing on record: an agent who predates the product, or whose record the install-day listing hasn't made yet.
  if (facts.appTemplate === undefined) return { kind: 'render-app-template' };
  if (facts.deleted && facts.trail === undefined) return { kind: 'read-trail' };
  const pinned = facts.pinned?.ok ? facts.pinned.value : undefined;
  const all: IdentityCandidate[] = [
    ...(facts.fromOkta !== undefined
      ? [{ identity: facts.fromOkta, source: 'okta-answer' as const, record: true }]
      : []),
    ...(pinned !== undefined
      ? [{ identity: pinned, source: 'pinned-template' as const, record: false }]
      : []),
    ...(facts.appTemplate !== null
      ? [{ identity: facts.appTemplate, source: 'app-template' as const, record: false }]
      : []),
    ...(facts.trail ?? []).map((t) => ({ ...t, record: false })),
  ];
  const candidates = all.filter((c, i) => all.findIndex((d) => d.identity === c.identity) === i);
  return candidates.length > 0 ? { kind: 'candidates', candidates } : { kind: 'none' };
}

/** A deleted user's trail as candidates: the app usernames as logged, then each login the app's template renders. */
export function trailIdentities(
  trail: IdentityTrail,
  renderLogin: (login: string) => string | undefined,
): TrailIdentity[] {
  const fromLogins = trail.logins
    .map(renderLogin)
    .filter((identity): identity is string => identity !== undefined)
    .map((identity) => ({ identity, source: 'event-login' as const }));
  return [
    ...trail.appUserNames.map((identity) => ({ identity, source: 'system-log' as const })),
    ...fromLogins,
  ];
}

/**
 * The decision's actions with the assignment's username read just before the unassign: for a leaver with no
 * identity on record and no pinned template, the assignment is the one place that holds their identity, and it is
 * gone once the unassign is made. Unchanged when there is no unassign.
 */
export function withIdentityCapture(actions: readonly Action[]): Action[] {
  const at = actions.findIndex((a) => a.type === 'unassign');
  if (at < 0) return [...actions];
  return [...actions.slice(0, at), { type: 'read-app-username' }, ...actions.slice(at)];
}
