import { describeNameIdEmail, nameIdEmailDifferences, nameIdEmailNote } from '../../src/domain/name-id-email';
import { identityChanges, recordedRenames } from '../../src/domain/identity-changes';
import { expectedSignIn } from '../../src/domain/sign-in';
import { newAppJson } from '../../src/domain/new-app';
import type { RawApp } from '../../src/domain/okta-app';

const member = (id: string, email: string) => ({ id, status: 'ACTIVE', profile: { email } });
const appUser = (id: string, userName: string | undefined) => ({
  id,
  scope: 'USER',
  userName,
  status: 'ACTIVE',
});

describe('Function: nameIdEmailNote', () => {
  it('says what a NameID that is not the email means, and the remedy', () => {
    const note = nameIdEmailNote('omar', 'omar.oddname@example.com');
    expect(note).toMatch(/Frontline knows this agent as "omar"/);
    expect(note).toMatch(/look for "omar.oddname@example.com"/);
    expect(note).toMatch(/\$\{source\.email\}/);
    expect(note).toMatch(/accept it knowingly/);
  });

  it('says nothing when they are the same or either is unknown', () => {
    expect(nameIdEmailNote('a@x.io', 'a@x.io')).toBeUndefined();
    expect(nameIdEmailNote(undefined, 'a@x.io')).toBeUndefined();
    expect(nameIdEmailNote('a', undefined)).toBeUndefined();
  });
});

describe('Function: nameIdEmailDifferences', () => {
  it('lists assigned members whose app username is not their email, and describes the count', () => {
    const members = [member('u1', 'a@x.io'), member('u2', 'b@x.io'), member('u3', 'c@x.io')];
    const appUsers = [
      appUser('u1', 'a@x.io'),
      appUser('u2', 'bee'),
      appUser('u4', 'd'),
      appUser('u3', undefined),
    ];

    const differences = nameIdEmailDifferences(members, appUsers);

    expect(differences).toEqual([{ userId: 'u2', nameId: 'bee', email: 'b@x.io' }]);
    expect(describeNameIdEmail(differences)).toMatch(/^NameID differs from email for 1 agent\(s\)/);
    expect(describeNameIdEmail([])).toBeUndefined();
  });
});

describe('Function: expectedSignIn, NameID and email', () => {
  it('notes a NameID that differs from the email attribute Frontline would receive', () => {
    const app = {
      id: '0oa1frontline0000000',
      status: 'ACTIVE',
      ...newAppJson('JB0123456789abcdef0123456789abcdef'),
    };
    const signIn = expectedSignIn({
      app: app as RawApp,
      rules: undefined,
      user: { status: 'ACTIVE', profile: { email: 'ana@example.com', userType: 'agent' } },
      appUser: { userName: 'ana' },
    });
    expect(signIn.fails).toEqual([]);
    expect(signIn.nameIdNotEmail).toMatch(/NameID "ana" is not the email "ana@example.com"/);
  });
});

describe('Function: identityChanges and recordedRenames', () => {
  const records = [
    { userId: 'u1', identity: 'a@x.io', recordedAt: '2026-01-01T00:00:00.000Z' },
    { userId: 'u2', identity: 'b2@x.io', recordedAt: '2026-01-03T00:00:00.000Z', previous: ['b@x.io'] },
    { userId: 'u3', identity: 'c2@x.io', recordedAt: '2026-01-01T00:00:00.000Z', previous: ['c@x.io'] },
  ];

  it('lists app users whose username is not the identity on record', () => {
    const appUsers = [
      appUser('u1', 'a.new@x.io'),
      appUser('u2', 'b2@x.io'),
      appUser('u9', 'z'),
      appUser('u3', undefined),
    ];
    expect(identityChanges(records, appUsers)).toEqual([
      { userId: 'u1', recorded: 'a@x.io', current: 'a.new@x.io' },
    ]);
  });

  it('counts records renamed since a time, or all of them without one', () => {
    expect(recordedRenames(records, '2026-01-02T00:00:00.000Z').map((r) => r.userId)).toEqual(['u2']);
    expect(recordedRenames(records, undefined).map((r) => r.userId)).toEqual(['u2', 'u3']);
  });
});
