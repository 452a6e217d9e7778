import { chooseIdentity, withIdentityCapture, type IdentityFacts } from '../../src/domain/frontline-identity';
import type { Action } from '../../src/domain/desired-state';

const facts = (overrides: Partial<IdentityFacts> = {}): IdentityFacts => ({
  direction: 'onboard',
  assignmentMode: 'user',
  pinned: undefined,
  recorded: undefined,
  fromOkta: undefined,
  ...overrides,
});

describe('Function: chooseIdentity, onboarding', () => {
  it('takes the pinned template’s rendering and records it, over anything on record', () => {
    const choice = chooseIdentity(
      facts({ pinned: { ok: true, value: 'a@x.io' }, recorded: 'old@x.io', fromOkta: 'b@x.io' }),
    );
    expect(choice).toEqual({ kind: 'use', identity: 'a@x.io', record: true, source: 'pinned-template' });
  });

  it('has no identity when the pinned template can’t render the profile (the assignment was skipped too)', () => {
    expect(chooseIdentity(facts({ pinned: { ok: false, reason: 'no email' }, recorded: 'r@x.io' }))).toEqual({
      kind: 'none',
    });
  });

  it('uses what is on record without writing it again', () => {
    expect(chooseIdentity(facts({ recorded: 'r@x.io', fromOkta: 'b@x.io' }))).toEqual({
      kind: 'use',
      identity: 'r@x.io',
      record: false,
      source: 'recorded',
    });
  });

  it('records the username the assignment answered with when nothing is on record', () => {
    expect(chooseIdentity(facts({ fromOkta: 'b@x.io' }))).toEqual({
      kind: 'use',
      identity: 'b@x.io',
      record: true,
      source: 'okta-answer',
    });
  });

  it('asks to read the assignment in user mode, then records what Okta answered', () => {
    expect(chooseIdentity(facts())).toEqual({ kind: 'read-assignment' });
    expect(chooseIdentity(facts({ assignment: 'c@x.io' }))).toMatchObject({
      identity: 'c@x.io',
      record: true,
      source: 'assignment',
    });
    expect(chooseIdentity(facts({ assignment: null }))).toEqual({ kind: 'none' });
  });

  it('asks for the app template’s rendering first in group mode, and uses it without recording it', () => {
    const group = facts({ assignmentMode: 'group' });
    expect(chooseIdentity(group)).toEqual({ kind: 'render-app-template' });
    expect(chooseIdentity({ ...group, appTemplate: 'd@x.io' })).toEqual({
      kind: 'use',
      identity: 'd@x.io',
      record: false,
      source: 'app-template',
    });
  });

  it('falls back to reading the assignment in group mode when the app template can’t be rendered', () => {
    expect(chooseIdentity(facts({ assignmentMode: 'group', appTemplate: null }))).toEqual({
      kind: 'read-assignment',
    });
  });
});

describe('Function: chooseIdentity, offboarding', () => {
  const leaver = (overrides: Partial<IdentityFacts> = {}) => facts({ direction: 'offboard', ...overrides });

  it('takes the identity on record first: it is what they signed in with', () => {
    expect(chooseIdentity(leaver({ recorded: 'r@x.io', pinned: { ok: true, value: 'new@x.io' } }))).toEqual({
      kind: 'use',
      identity: 'r@x.io',
      record: false,
      source: 'recorded',
    });
  });

  it('renders the app template first when nothing is on record, in either mode', () => {
    expect(chooseIdentity(leaver({ pinned: { ok: true, value: 'a@x.io' } }))).toEqual({
      kind: 'render-app-template',
    });
    expect(chooseIdentity(leaver({ assignmentMode: 'group' }))).toEqual({ kind: 'render-app-template' });
  });

  it('lists every candidate, Okta’s answer first and recorded whatever Frontline says, each identity once', () => {
    const choice = chooseIdentity(
      leaver({ fromOkta: 'b@x.io', pinned: { ok: true, value: 'a@x.io' }, appTemplate: 'b@x.io' }),
    );
    expect(choice).toEqual({
      kind: 'candidates',
      candidates: [
        { identity: 'b@x.io', source: 'okta-answer', record: true },
        { identity: 'a@x.io', source: 'pinned-template', record: false },
      ],
    });
  });

  it('never asks to read an assignment that is gone, and has none when no template renders', () => {
    expect(chooseIdentity(leaver({ appTemplate: null }))).toEqual({ kind: 'none' });
    expect(chooseIdentity(leaver({ assignmentMode: 'group', appTemplate: null }))).toEqual({ kind: 'none' });
  });

  it('reads a deleted user’s trail once the template had no profile to render', () => {
    const deleted = leaver({ deleted: true, appTemplate: null });
    expect(chooseIdentity(deleted)).toEqual({ kind: 'read-trail' });
    expect(chooseIdentity({ ...deleted, trail: [] })).toEqual({ kind: 'none' });
    expect(chooseIdentity({ ...deleted, trail: [{ identity: 'old@x.io', source: 'system-log' }] })).toEqual({
      kind: 'candidates',
      candidates: [{ identity: 'old@x.io', source: 'system-log', record: false }],
    });
  });
});

describe('Function: withIdentityCapture', () => {
  it('reads the assignment’s username just before the unassign', () => {
    const actions: Action[] = [{ type: 'unassign' }, { type: 'clear-user-type' }];
    expect(withIdentityCapture(actions).map((a) => a.type)).toEqual([
      'read-app-username',
      'unassign',
      'clear-user-type',
    ]);
  });

  it('adds nothing when there is no unassign', () => {
    const actions: Action[] = [{ type: 'set-user-type', userType: 'agent' }, { type: 'assign' }];
    expect(withIdentityCapture(actions)).toEqual(actions);
  });
});
