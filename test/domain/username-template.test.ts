import {
  parseUserNameTemplate,
  renderUserName,
  UserNameTemplateError,
} from '../../src/domain/username-template';

const PROFILE = {
  email: 'Ana.Lima@Example.com',
  login: 'ana.lima@corp.example',
  employeeNumber: 4711,
  nickName: '',
};

function render(template: string, profile: Record<string, unknown> = PROFILE) {
  return renderUserName(parseUserNameTemplate(template), profile);
}

describe('Function: renderUserName', () => {
  it.each([
    ['${source.email}', 'Ana.Lima@Example.com'],
    ['${source.login}', 'ana.lima@corp.example'],
    ['${fn:substringBefore(source.login, "@")}', 'ana.lima'],
    ['${String.substringBefore(source.email, "@")}', 'Ana.Lima'],
    ['${String.substringAfter(source.login, "@")}', 'corp.example'],
    ['${String.toLowerCase(source.email)}', 'ana.lima@example.com'],
    ['${fn:toUpperCase(fn:substringBefore(source.login, "@"))}', 'ANA.LIMA'],
    ['agent-${source.employeeNumber}@frontline', 'agent-4711@frontline'],
    ['${ source.email }', 'Ana.Lima@Example.com'],
  ])('renders %s as %s', (template, expected) => {
    expect(render(template)).toEqual({ ok: true, value: expected });
  });

  it('keeps the whole value when substringBefore finds no separator, as Okta does', () => {
    expect(render('${fn:substringBefore(source.login, "#")}')).toEqual({
      ok: true,
      value: 'ana.lima@corp.example',
    });
  });

  it('fails with the attribute name when the attribute is missing or empty', () => {
    expect(render('${source.email}', { login: 'x' })).toEqual({
      ok: false,
      reason: 'profile.email is empty, so the app username cannot be derived',
    });
    expect(render('${source.nickName}')).toMatchObject({ ok: false });
  });

  it('fails when the username is longer than Okta allows', () => {
    const result = render('${source.email}', { email: `${'a'.repeat(95)}@x.com` });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('at most 100') });
  });
});

describe('Function: parseUserNameTemplate', () => {
  it.each([
    ['${user.email}', 'unsupported expression'],
    ['${source.email', 'unclosed'],
    ['static-name', 'no ${…} expression'],
    ['${fn:substringBefore(source.login)}', 'unsupported expression'],
    ['${String.replace(source.login, "a", "b")}', 'unsupported expression'],
  ])('rejects %s', (template, message) => {
    expect(() => parseUserNameTemplate(template)).toThrow(UserNameTemplateError);
    expect(() => parseUserNameTemplate(template)).toThrow(message);
  });
});
