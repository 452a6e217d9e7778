import {
  identityHintOf,
  LOG_EVENT_TYPES,
  selectWork,
  SUBSCRIBED_EVENT_TYPES,
} from '../../src/domain/hook-events';
import { changedAttributesOf } from '../../src/domain/identity-hints';
import { APP_ID, GROUP_ID, logEvent } from '../receiver/factories';

const USER = '00uagent000000000001';
const target = { groupIds: [GROUP_ID], appId: APP_ID };
const profileUpdate = (changedAttributes: unknown) =>
  logEvent('user.account.update_profile', [{ id: USER, type: 'User' }], {
    debugContext: changedAttributes === undefined ? null : { debugData: { changedAttributes } },
  });
const usernameChange = (appId: string) =>
  logEvent('application.user_membership.change_username', [
    { id: '0uaassignment0000001', type: 'AppUser' },
    { id: appId, type: 'AppInstance' },
    { id: USER, type: 'User' },
  ]);

describe('Function: selectWork, identity hints', () => {
  it('takes a profile update that changed an attribute a username format reads as work for the user', () => {
    const { items, ignored } = selectWork([profileUpdate('firstName,email')], target);
    expect(items.map((i) => [i.userId, i.triggers[0]?.eventType])).toEqual([
      [USER, 'user.account.update_profile'],
    ]);
    expect(ignored).toEqual([]);
  });

  it('ignores a profile update of attributes no username format reads', () => {
    const { items, ignored } = selectWork([profileUpdate('title,department')], target);
    expect(items).toEqual([]);
    expect(ignored.map((i) => i.reason)).toEqual(['no username attribute changed']);
  });

  it('takes a profile update that names no attribute as a hint: it can’t be told', () => {
    expect(selectWork([profileUpdate(undefined)], target).items).toHaveLength(1);
  });

  it('watches the attributes it is given instead of the built-in formats’ ones', () => {
    const custom = { ...target, userNameAttributes: ['employeeNumber'] };
    expect(selectWork([profileUpdate('employeeNumber')], custom).items).toHaveLength(1);
    expect(selectWork([profileUpdate('email')], custom).items).toEqual([]);
  });

  it('takes a username change of the Frontline app as work, and another app’s as nothing', () => {
    expect(selectWork([usernameChange(APP_ID)], target).items.map((i) => i.userId)).toEqual([USER]);
    expect(selectWork([usernameChange('0oaother000000000001')], target).ignored.map((i) => i.reason)).toEqual(
      ['other app'],
    );
  });
});

describe('Table: the event types for hooks and for the System Log', () => {
  it('subscribes the hook to profile updates but reads username changes from the System Log only', () => {
    // Okta's catalog does not tag application.user_membership.change_username event-hook-eligible.
    expect(SUBSCRIBED_EVENT_TYPES).toContain('user.account.update_profile');
    expect(SUBSCRIBED_EVENT_TYPES).not.toContain('application.user_membership.change_username');
    expect(LOG_EVENT_TYPES).toEqual(expect.arrayContaining([...SUBSCRIBED_EVENT_TYPES]));
    expect(LOG_EVENT_TYPES).toContain('application.user_membership.change_username');
  });
});

describe('Function: identityHintOf', () => {
  it('says the username changed over a profile change, and nothing for other triggers', () => {
    expect(
      identityHintOf(['user.account.update_profile', 'application.user_membership.change_username']),
    ).toBe('username-changed');
    expect(identityHintOf(['group.user_membership.add', 'user.account.update_profile'])).toBe(
      'profile-changed',
    );
    expect(identityHintOf(['group.user_membership.add', 'reconcile'])).toBeUndefined();
  });
});

describe('Function: changedAttributesOf', () => {
  it('reads a comma-separated list or an array, and nothing else', () => {
    expect(
      changedAttributesOf({ debugContext: { debugData: { changedAttributes: ' email , login,' } } }),
    ).toEqual(['email', 'login']);
    expect(changedAttributesOf({ debugContext: { debugData: { changedAttributes: ['email', 3] } } })).toEqual(
      ['email'],
    );
    expect(changedAttributesOf({ debugContext: { debugData: { changedAttributes: 7 } } })).toBeUndefined();
    expect(changedAttributesOf({ debugContext: null })).toBeUndefined();
  });
});
