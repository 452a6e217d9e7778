import { ExpressionError } from '../../emulator/okta/sso/errors';
import {
  BASE_PROFILE_ATTRIBUTES,
  evaluateExpression,
  type ElScope,
} from '../../emulator/okta/sso/expression';

const scope: ElScope = {
  user: {
    email: 'abc@okta.com',
    firstName: 'Alex',
    department: 'Customer Care',
    nickName: null,
    tags: ['a', 'b'],
  },
  userAttributes: new Set([...BASE_PROFILE_ATTRIBUTES, 'tags']),
  appUser: { userName: 'alex' },
};
const ev = (source: string) => evaluateExpression(source, scope);

describe('Function: evaluateExpression', () => {
  // The examples of the "String functions" table in Okta's Expression Language reference, with their outputs.
  it.each([
    ['String.append("This is", " a test")', 'This is a test'],
    ['String.join(",", "This", "is", "a", "test")', 'This,is,a,test'],
    ['String.join("", "This", "is", "a", "test")', 'Thisisatest'],
    ['String.len("This")', 4],
    ['String.removeSpaces("This is a test")', 'Thisisatest'],
    ['String.replace("This is a test", "is", "at")', 'That at a test'],
    ['String.replaceFirst("This is a test", "is", "at")', 'That is a test'],
    ['String.stringContains("This is a test", "test")', true],
    ['String.stringContains("This is a test", "doesn\'tExist")', false],
    ['String.stringSwitch("This is a test", "default", "key1", "value1")', 'default'],
    ['String.stringSwitch("This is a test", "default", "test", "value1")', 'value1'],
    [
      'String.stringSwitch("First match wins", "default", "absent", "value1", "wins", "value2", "match", "value3")',
      'value2',
    ],
    ['String.stringSwitch("Substrings count", "default", "ring", "value1")', 'value1'],
    ['String.substring("This is a test", 2, 9)', 'is is a'],
    ['String.substringAfter("abc@okta.com", "@")', 'okta.com'],
    ['String.substringBefore("abc@okta.com", "@")', 'abc'],
    ['String.toUpperCase("This")', 'THIS'],
    ['String.toLowerCase("ThiS")', 'this'],
    ["substringBefore(user.email, '@')", 'abc'],
    ['toUpperCase(user.firstName)', 'ALEX'],
  ])('evaluates %s as the reference shows', (source, expected) => {
    expect(ev(source)).toEqual(expected);
  });

  it('reads user profile attributes, the app username and multi-valued attributes', () => {
    expect(ev('user.email')).toBe('abc@okta.com');
    expect(ev('appuser.userName')).toBe('alex');
    expect(ev('user.tags')).toEqual(['a', 'b']);
  });

  it('answers null for a defined attribute the user has no value for, through the String functions too', () => {
    expect(ev('user.userType')).toBeNull();
    expect(ev('user.nickName')).toBeNull();
    expect(ev('String.toLowerCase(user.userType)')).toBeNull();
    expect(ev('String.len(user.userType)')).toBe(0);
  });

  it('concatenates with + (a null operand renders as "null", as in SpEL) and chooses with ?:', () => {
    expect(ev('user.firstName + "@" + String.len("abc")')).toBe('Alex@3');
    expect(ev('"x" + user.userType')).toBe('xnull');
    expect(ev('String.len("abcd") - 1')).toBe(3);
    expect(
      ev('String.stringContains(user.email, "@") ? String.substringBefore(user.email, "@") : user.email'),
    ).toBe('abc');
    expect(ev("'it''s'")).toBe("it's");
  });

  it.each([
    ['user.emial', /user\.emial is not an attribute of the Okta user profile/],
    ['org.name', /org\.name is not something the emulator evaluates/],
    ['Arrays.size(user.tags)', /Arrays\.size\(\) is not a function/],
    ['String.toLowerCase(user.email', /expected "\)" at the end/],
    ['user.email user.login', /unexpected "user" at 11/],
    ['user.email == "x"', /unexpected character "=" at 11/],
    ['String.substring(user.email, 3, 99)', /out of range/],
    ['String.toLowerCase(user.tags)', /expects a string, got an array/],
    ['user.firstName ? "a" : "b"', /not a boolean/],
    ['', /empty/],
  ])('refuses %j with an ExpressionError', (source, message) => {
    expect(() => ev(source)).toThrow(ExpressionError);
    expect(() => ev(source)).toThrow(message);
  });
});
