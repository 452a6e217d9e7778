import { identityTrailPath, trailOf } from '../../src/okta/identity-trail';

const USER = '00uagent000000000001';
const APP = '0oafrontline00000001';

const event = (eventType: string, targets: object[], result = 'SUCCESS') => ({
  uuid: `${eventType}-${Math.random()}`,
  eventType,
  outcome: { result },
  target: targets,
});
const user = (alternateId: string) => ({ id: USER, type: 'User', alternateId, displayName: 'Alex Agent' });
const app = (id = APP) => ({ id, type: 'AppInstance', alternateId: 'Frontline', displayName: 'Frontline' });
const appUser = (alternateId: string) => ({
  id: '0uaxxx',
  type: 'AppUser',
  alternateId,
  displayName: 'Alex Agent',
});

describe('Function: trailOf', () => {
  it('takes the app usernames of the app’s membership events and every login, newest first, each once', () => {
    const events = [
      event('user.lifecycle.delete.initiated', [user('alex@example.com')]),
      event('application.user_membership.remove', [appUser('alex.new'), app(), user('alex@example.com')]),
      event('application.user_membership.change_username', [
        appUser('alex.new'),
        app(),
        user('old@example.com'),
      ]),
      event('application.user_membership.add', [appUser('alex.old'), app(), user('old@example.com')]),
    ];

    expect(trailOf(events, USER, APP)).toEqual({
      appUserNames: ['alex.new', 'alex.old'],
      logins: ['alex@example.com', 'old@example.com'],
    });
  });

  it('ignores another app, a failed change, events about someone else and malformed entries', () => {
    const events = [
      event('application.user_membership.add', [
        appUser('other-app'),
        app('0oaother000000000001'),
        user('a@x.io'),
      ]),
      event('application.user_membership.add', [appUser('refused'), app(), user('a@x.io')], 'FAILURE'),
      event('application.user_membership.add', [
        appUser('someone'),
        app(),
        { ...user('b@x.io'), id: '00uother' },
      ]),
      null,
      { target: 'not a list' },
    ];

    expect(trailOf(events, USER, APP)).toEqual({ appUserNames: [], logins: ['a@x.io'] });
  });
});

describe('Function: identityTrailPath', () => {
  it('asks for the user as a target over the 90 days Okta keeps, newest first, one bounded page', () => {
    const url = new URL(identityTrailPath(USER, new Date('2026-05-01T00:00:00Z')), 'https://org.example');

    expect(Object.fromEntries(url.searchParams)).toEqual({
      since: '2026-01-31T00:00:00.000Z',
      until: '2026-05-01T00:00:00.000Z',
      sortOrder: 'DESCENDING',
      limit: '1000',
      filter: `target.id eq "${USER}"`,
    });
  });
});
