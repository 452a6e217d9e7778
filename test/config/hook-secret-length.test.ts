import { loadSettings, SettingsError } from '../../src/config/env';
import { HOOK_SECRET_MIN_LENGTH } from '../../src/secrets/hook-secret';

const base = {
  OKTA_ORG_URL: 'http://127.0.0.1:9999/',
  OKTA_API_TOKEN: '00secret-token-value',
  FRONTLINE_GROUP_ID: '00g1',
  OKTA_HOOK_SECRET: 'hook-secret-0123456789',
};

function problemsOf(env: NodeJS.ProcessEnv, options?: Parameters<typeof loadSettings>[1]): string[] {
  try {
    loadSettings(env, options);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('Function: loadSettings (hook secret lengths)', () => {
  const tooShort = `must be at least ${HOOK_SECRET_MIN_LENGTH} characters`;

  it('refuses a one-character OKTA_HOOK_SECRET_PREVIOUS with the same message as OKTA_HOOK_SECRET', () => {
    expect(problemsOf({ ...base, OKTA_HOOK_SECRET_PREVIOUS: 'Q' })).toEqual([
      `OKTA_HOOK_SECRET_PREVIOUS ${tooShort}`,
    ]);
    expect(problemsOf({ ...base, OKTA_HOOK_SECRET: 'Q' })).toEqual([`OKTA_HOOK_SECRET ${tooShort}`]);
  });

  it('checks the previous secret even for commands that do not need the current one, never echoing it', () => {
    const previous = 'Zq7-short-one';
    let message = '';
    try {
      loadSettings({ ...base, OKTA_HOOK_SECRET_PREVIOUS: previous }, { requireHookSecret: false });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`OKTA_HOOK_SECRET_PREVIOUS ${tooShort}`);
    expect(message).not.toContain(previous);
  });

  it('accepts a previous secret of the minimum length, and a blank one as unset', () => {
    const previous = 'p'.repeat(HOOK_SECRET_MIN_LENGTH);
    expect(loadSettings({ ...base, OKTA_HOOK_SECRET_PREVIOUS: previous }).hookSecretPrevious).toBe(previous);
    expect(loadSettings({ ...base, OKTA_HOOK_SECRET_PREVIOUS: '  ' }).hookSecretPrevious).toBeUndefined();
  });
});
