import { generateKeyPairSync } from 'node:crypto';
import { loadSettings, SettingsError } from '../../src/config/env';
import { resolvePolicy } from '../../src/domain/policy';

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
      policy: resolvePolicy({ groupIds: ['00g1'] }),
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
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const settings = loadSettings({
      ...rest,
      OKTA_CLIENT_ID: '0oa1',
      OKTA_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      OKTA_KEY_ID: 'kid1',
    });

    expect(settings.credentials).toEqual({
      kind: 'private-key',
      clientId: '0oa1',
      privateKey: pem,
      keyId: 'kid1',
      scopes: expect.arrayContaining(['okta.users.manage', 'okta.apps.manage']),
    });
  });

  it('does not ask for the hook secret or group when the command does not need them', () => {
    const { OKTA_HOOK_SECRET: _s, FRONTLINE_GROUP_ID: _g, ...rest } = base;

    const settings = loadSettings(rest, { requireHookSecret: false, requireGroup: false });

    expect(settings.policy.groupIds).toEqual([]);
    expect(settings.hookSecret).toBe('');
    expect(settings.credentials.kind).toBe('ssws');
  });

  it('names every problem of a check-style command in one pass, the Realm SID included', () => {
    const problems = problemsOf({}, { requireHookSecret: false, requireGroup: false, requireRealm: true });

    expect(problems.map((p) => p.split(' ')[0])).toEqual(
      expect.arrayContaining(['OKTA_ORG_URL', 'OKTA_API_TOKEN', 'FRONTLINE_REALM_SID']),
    );
  });

  it('reports a bad username template with the other problems', () => {
    const problems = problemsOf({ ...base, PORT: 'x', FRONTLINE_USERNAME_TEMPLATE: '${source.email' });

    expect(problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'FRONTLINE_USERNAME_TEMPLATE']);
  });

  it('accepts a token pasted with its SSWS scheme and sends it once', () => {
    const settings = loadSettings({ ...base, OKTA_API_TOKEN: 'SSWS 00secret-token-value' });

    expect(settings.credentials).toEqual({ kind: 'ssws', token: '00secret-token-value' });
  });

  it.each([
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535'],
    ['PORT', '80.5', 'PORT must be a whole number from 0 to 65535'],
    ['WORK_MAX_RECEIVES', '1e9', 'WORK_MAX_RECEIVES must be a whole number from 1 to 1000'],
    ['HTTP_MAX_CONNECTIONS', 'many', 'HTTP_MAX_CONNECTIONS must be a whole number from 1 to 100000'],
    [
      'WORK_RETRY_BASE_SECONDS',
      'soon',
      'WORK_RETRY_BASE_SECONDS must be a number of seconds from 0.001 to 3600',
    ],
  ])('names %s when its value %j is not a number it takes', (name, value, message) => {
    expect(problemsOf({ ...base, [name]: value })).toEqual([message]);
  });

  describe('a service app private key', () => {
    const { OKTA_API_TOKEN: _token, ...rest } = base;
    const withKey = (key: string) => ({ ...rest, OKTA_CLIENT_ID: '0oa1', OKTA_PRIVATE_KEY: key });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    it('is accepted as PEM with "\\n" escapes or as a private JWK', () => {
      expect(problemsOf(withKey(pkcs8.replace(/\n/g, '\\n')))).toEqual([]);
      expect(problemsOf(withKey(JSON.stringify(privateKey.export({ format: 'jwk' }))))).toEqual([]);
    });

    it('is refused at start with a plain message when it does not parse, never quoting it', () => {
      const broken = pkcs8.slice(0, 200);
      const problems = problemsOf(withKey(broken));

      expect(problems).toEqual([expect.stringMatching(/^OKTA_PRIVATE_KEY is not a PEM private key/)]);
      expect(problems.join('\n')).not.toContain(broken.slice(40, 80));
    });

    it('is refused when it is the public half', () => {
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

      expect(problemsOf(withKey(pem))).toEqual([
        expect.stringContaining('holds a public key or certificate'),
      ]);
    });

    it('is refused when it is a key type Okta does not take', () => {
      const ed = generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();

      expect(problemsOf(withKey(ed))).toEqual([
        'OKTA_PRIVATE_KEY is a ed25519 key; Okta needs an RSA or EC key',
      ]);
    });
  });
});
