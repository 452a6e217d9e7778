import { chooseIdentity, trailIdentities, type IdentityFacts } from '../../src/domain/frontline-identity';

const member = (overrides: Partial<IdentityFacts> = {}): IdentityFacts => ({
  direction: 'onboard',
  assignmentMode: 'user',
  pinned: undefined,
  recorded: 'old@x.io',
  fromOkta: undefined,
  ...overrides,
});

describe('Function: chooseIdentity, after an identity hint', () => {
  it('reads the assignment after Okta changed the username, and records what it holds', () => {
    const renamed = member({ hint: 'username-changed' });
    expect(chooseIdentity(renamed)).toEqual({ kind: 'read-assignment' });
    expect(chooseIdentity({ ...renamed, assignment: 'new@x.io' })).toEqual({
      kind: 'use',
      identity: 'new@x.io',
      record: true,
      source: 'assignment',
    });
  });

  it('renders the app template after a profile change, and reads the assignment only when it differs', () => {
    const changed = member({ hint: 'profile-changed' });
    expect(chooseIdentity(changed)).toEqual({ kind: 'render-app-template' });
    expect(chooseIdentity({ ...changed, appTemplate: 'old@x.io' })).toMatchObject({
      identity: 'old@x.io',
      source: 'recorded',
    });
    expect(chooseIdentity({ ...changed, appTemplate: 'new@x.io' })).toEqual({ kind: 'read-assignment' });
    expect(chooseIdentity({ ...changed, appTemplate: null })).toEqual({ kind: 'read-assignment' });
  });

  it('compares a pinned template’s rendering with the record, and trusts the assignment over it', () => {
    const pinned = member({ hint: 'profile-changed', pinned: { ok: true, value: 'new@x.io' } });
    expect(chooseIdentity(pinned)).toEqual({ kind: 'read-assignment' });
    expect(chooseIdentity({ ...pinned, assignment: 'old@x.io' })).toMatchObject({
      identity: 'old@x.io',
      source: 'assignment',
    });
    expect(
      chooseIdentity(member({ hint: 'profile-changed', pinned: { ok: true, value: 'old@x.io' } })),
    ).toMatchObject({ source: 'pinned-template' });
  });

  it('reads the assignment when nothing is on record, and falls back when there is none', () => {
    const unrecorded = member({ hint: 'profile-changed', recorded: undefined, assignmentMode: 'group' });
    expect(chooseIdentity(unrecorded)).toEqual({ kind: 'read-assignment' });
    expect(chooseIdentity({ ...unrecorded, assignment: null, appTemplate: 'd@x.io' })).toMatchObject({
      identity: 'd@x.io',
      source: 'app-template',
    });
  });
});

describe('Function: chooseIdentity, a hint beside an assignment made now', () => {
  it('takes the username the assignment answered with, reading nothing more', () => {
    expect(
      chooseIdentity(member({ hint: 'username-changed', recorded: undefined, fromOkta: 'b@x.io' })),
    ).toMatchObject({ identity: 'b@x.io', source: 'okta-answer' });
  });
});

describe('Function: trailIdentities', () => {
  it('lists the logged app usernames, then each login the template renders, skipping the ones it can’t', () => {
    const trail = { appUserNames: ['a.new', 'a.old'], logins: ['a@x.io', 'b@x.io'] };
    const renderLogin = (login: string) => (login.startsWith('a') ? login.split('@')[0] : undefined);

    expect(trailIdentities(trail, renderLogin)).toEqual([
      { identity: 'a.new', source: 'system-log' },
      { identity: 'a.old', source: 'system-log' },
      { identity: 'a', source: 'event-login' },
    ]);
  });
});
