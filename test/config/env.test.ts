import { loadSettings, SettingsError } from '../../src/config/env';

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

describe('Function: loadSettings', () => {
  it('applies the documented defaults', () => {
    const settings = loadSettings(base);

    expect(settings).toMatchObject({
      orgUrl: 'http://127.0.0.1:9999',
      credentials: { kind: 'ssws', token: '00secret-token-value' },
      port: 8080,
      host: '127.0.0.1',
      hookAuthHeader: 'Authorization',
      userNameTemplate: '${source.email}',
      clearUserTypeOnRemoval: false,
    });
  });

  it('names every problem at once', () => {
    const problems = problemsOf({ PORT: 'eighty', FRONTLINE_REALM_SID: 'JBnothex' }, { requireApp: true });

    expect(problems.map((p) => p.split(' ')[0])).toEqual(
      expect.arrayContaining([
        'OKTA_ORG_URL',
        'FRONTLINE_GROUP_ID',
        'OKTA_HOOK_SECRET',
        'PORT',
        'FRONTLINE_REALM_SID',
        'OKTA_API_TOKEN',
        'FRONTLINE_APP_ID',
      ]),
    );
  });

  it('never echoes a secret value in its message', () => {
    const env = { ...base, OKTA_CLIENT_ID: '0oaclient', OKTA_HOOK_SECRET: 'short' };
    let message = '';
    try {
      loadSettings(env);
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('OKTA_HOOK_SECRET');
    expect(message).toContain('choose one credential');
    expect(message).not.toContain('00secret-token-value');
    expect(message).not.toContain('short');
  });

  it('builds private-key credentials with newline escapes restored and the default scopes', () => {
    const { OKTA_API_TOKEN: _unused, ...rest } = base;
    const settings = loadSettings({
      ...rest,
      OKTA_CLIENT_ID: '0oa1',
      OKTA_PRIVATE_KEY: '-----BEGIN-----\\nabc',
      OKTA_KEY_ID: 'kid1',
    });

    expect(settings.credentials).toEqual({
      kind: 'private-key',
      clientId: '0oa1',
      privateKey: '-----BEGIN-----\nabc',
      keyId: 'kid1',
      scopes: expect.arrayContaining(['okta.users.manage', 'okta.apps.manage']),
    });
  });

  it('does not ask for the hook secret or group when the command does not need them', () => {
    const { OKTA_HOOK_SECRET: _s, FRONTLINE_GROUP_ID: _g, ...rest } = base;

    const settings = loadSettings(rest, { requireHookSecret: false, requireGroup: false });

    expect(settings.groupId).toBe('');
    expect(settings.hookSecret).toBe('');
    expect(settings.credentials.kind).toBe('ssws');
  });
});
