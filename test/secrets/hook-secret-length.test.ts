import { SecretError } from '../../src/secrets/errors';
import { HOOK_SECRET_MIN_LENGTH, parseHookSecrets } from '../../src/secrets/hook-secret';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf';
const LONG = 'hook-secret-current-0123456789';
// One character short of the minimum, distinctive enough to spot if a message ever echoed it.
const SHORT = 'Zq7'.padEnd(HOOK_SECRET_MIN_LENGTH - 1, 'x');

const failureOf = (text: string): Error => {
  try {
    parseHookSecrets(text, ARN);
  } catch (err) {
    return err as Error;
  }
  throw new Error('parseHookSecrets accepted it');
};

describe('Function: parseHookSecrets (lengths)', () => {
  it('holds the previous secret to the same minimum as the current one', () => {
    const failure = failureOf(JSON.stringify({ current: LONG, previous: 'x' }));

    expect(failure).toBeInstanceOf(SecretError);
    expect(failure.message).toBe(
      `Secret ${ARN}: previous must be at least ${HOOK_SECRET_MIN_LENGTH} characters`,
    );
  });

  it.each([
    ['a short current secret', JSON.stringify({ current: SHORT })],
    ['a short previous secret', JSON.stringify({ current: LONG, previous: SHORT })],
    ['a short plain-text secret', SHORT],
  ])('refuses %s without echoing it', (_what, text) => {
    const failure = failureOf(text);

    expect(failure).toBeInstanceOf(SecretError);
    expect(failure.message).toContain(`must be at least ${HOOK_SECRET_MIN_LENGTH} characters`);
    expect(failure.message).not.toContain('Zq7');
  });

  it('accepts secrets of exactly the minimum length', () => {
    const exact = 'y'.repeat(HOOK_SECRET_MIN_LENGTH);
    expect(parseHookSecrets(JSON.stringify({ current: exact, previous: exact }))).toEqual({
      current: exact,
      previous: exact,
    });
    expect(parseHookSecrets(exact)).toEqual({ current: exact, previous: undefined });
  });
});
