import type { Action, UserNameResult } from './desired-state';

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
  /** Group mode: the app's own template rendered on the profile (null when it can't be, or there is no profile). */
  appTemplate?: string | null;
  /** The assignment's username, read from Okta (null: no assignment). */
  assignment?: string | null;
}

export type IdentityChoice =
  /** `record`: the value is Okta's to keep (it becomes the identity on record). */
  | { kind: 'use'; identity: string; record: boolean; source: IdentitySource }
  /** Render the app's own username template on the profile (one cached app read), then ask again. */
  | { kind: 'render-app-template' }
  /** Read the assignment's username (one apps-bucket call), then ask again. */
  | { kind: 'read-assignment' }
  | { kind: 'none' };

export type IdentitySource = 'pinned-template' | 'recorded' | 'okta-answer' | 'app-template' | 'assignment';

/**
 * The identity, in order of trust:
 * - onboarding: the pinned template's rendering (it is what Okta sends), what we recorded, Okta's answer in this
 *   convergence, in group mode the app template's rendering (used, not recorded: Okta assigned, so no answer was
 *   seen, and a per-user read would spend the apps bucket group mode exists to spare; the reconcile records the
 *   real value from its listing), and last the assignment itself, read once and recorded;
 * - offboarding: what we recorded first (it is what they signed in with, even if the template or their email
 *   changed since), the pinned template's rendering, the username read just before the unassign, in group mode the
 *   app template's rendering; the assignment is gone, so nothing is read.
 */
export function chooseIdentity(facts: IdentityFacts): IdentityChoice {
  const use = (identity: string, record: boolean, source: IdentitySource): IdentityChoice => ({
    kind: 'use',
    identity,
    record,
    source,
  });
  const pinned = facts.pinned?.ok ? facts.pinned.value : undefined;
  if (facts.direction === 'onboard') {
    // A pinned template decides alone: a profile it can't render has no identity (the assignment was skipped too).
    if (facts.pinned) return pinned === undefined ? { kind: 'none' } : use(pinned, true, 'pinned-template');
    if (facts.recorded !== undefined) return use(facts.recorded, false, 'recorded');
    if (facts.fromOkta !== undefined) return use(facts.fromOkta, true, 'okta-answer');
  } else {
    if (facts.recorded !== undefined) return use(facts.recorded, false, 'recorded');
    if (pinned !== undefined) return use(pinned, false, 'pinned-template');
    if (facts.fromOkta !== undefined) return use(facts.fromOkta, true, 'okta-answer');
  }
  if (facts.assignmentMode === 'group' && !facts.pinned) {
    if (facts.appTemplate === undefined) return { kind: 'render-app-template' };
    if (facts.appTemplate !== null) return use(facts.appTemplate, false, 'app-template');
  }
  if (facts.direction === 'offboard') return { kind: 'none' };
  if (facts.assignment === undefined) return { kind: 'read-assignment' };
  return facts.assignment === null ? { kind: 'none' } : use(facts.assignment, true, 'assignment');
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
