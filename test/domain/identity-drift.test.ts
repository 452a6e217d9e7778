import {
  effectiveUserNameTemplate,
  findIdentityDrift,
  tryFindIdentityDrift,
} from '../../src/domain/identity-drift';
import type { AppUser, GroupMember } from '../../src/domain/reconcile-plan';

const member = (id: string, login: string, email: string): GroupMember => ({
  id,
  status: 'ACTIVE',
  profile: { login, email },
});
const assigned = (id: string, userName: string | undefined): AppUser => ({
  id,
  scope: 'USER',
  userName,
  status: 'PROVISIONED',
});

describe('Function: effectiveUserNameTemplate', () => {
  it('uses the pinned template over the app’s own', () => {
    const app = { credentials: { userNameTemplate: { template: '${source.login}' } } };
    expect(effectiveUserNameTemplate('${source.email}', app)).toBe('${source.email}');
  });

  it('uses the app’s own template when none is pinned', () => {
    const app = { credentials: { userNameTemplate: { template: '${source.login}' } } };
    expect(effectiveUserNameTemplate(undefined, app)).toBe('${source.login}');
  });

  it('falls back to Okta’s default for an app without a template', () => {
    expect(effectiveUserNameTemplate(undefined, {})).toBe('${source.login}');
  });
});

describe('Function: findIdentityDrift', () => {
  const members = [member('00u1', 'ana', 'ana@example.com'), member('00u2', 'omar', 'omar@example.com')];

  it('reports assignments whose username differs from the template, with both names', () => {
    const report = findIdentityDrift('${source.email}', members, [
      assigned('00u1', 'ana@example.com'),
      assigned('00u2', 'omar'),
    ]);
    expect(report.drift).toEqual([{ userId: '00u2', userName: 'omar', expected: 'omar@example.com' }]);
  });

  it('finds no drift when the app’s template is what the usernames follow', () => {
    const report = findIdentityDrift('${source.login}', members, [assigned('00u2', 'omar')]);
    expect(report.drift).toEqual([]);
  });

  it('ignores assigned users outside the group and lists members the template cannot name', () => {
    const report = findIdentityDrift('${source.department}', members, [
      assigned('00u1', 'ana'),
      assigned('00u9', 'stray'),
    ]);
    expect(report.drift).toEqual([]);
    expect(report.underivable).toEqual([{ userId: '00u1', reason: expect.stringContaining('department') }]);
  });

  it('returns a reason instead of throwing for an expression the renderer does not know', () => {
    expect(tryFindIdentityDrift('${user.getInternalProperty("id")}', members, [])).toMatchObject({
      unsupported: expect.stringContaining('unsupported expression'),
    });
  });
});
