import { RealmSidError } from '../../src/domain/errors';
import { isRealmSid, parseRealmSid } from '../../src/domain/realm-sid';
import { SID } from '../app-guard/fixtures';

describe('Function: parseRealmSid', () => {
  it('accepts JB followed by 32 hex digits, trimming whitespace', () => {
    expect(parseRealmSid(`  ${SID}\n`)).toBe(SID);
  });

  it.each([
    ['', 'it is empty'],
    ['AC0123456789abcdef0123456789abcdef', 'starts with "AC"'],
    ['JB0123', 'has 4 characters after "JB"'],
    ['JB0123456789abcdef0123456789abcdeg', 'must be hex digits'],
  ])('rejects %j saying why (%s)', (input, why) => {
    expect(() => parseRealmSid(input)).toThrow(RealmSidError);
    expect(() => parseRealmSid(input)).toThrow(why);
  });
});

describe('Function: isRealmSid', () => {
  it('accepts either case of hex digits but only an upper-case JB prefix', () => {
    expect(isRealmSid(SID)).toBe(true);
    expect(isRealmSid(`JB${'A'.repeat(32)}`)).toBe(true);
    expect(isRealmSid(`jb${'a'.repeat(32)}`)).toBe(false);
    expect(isRealmSid(` ${SID}`)).toBe(false);
  });
});
