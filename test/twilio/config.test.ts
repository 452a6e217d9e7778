import {
  credentialsFromSecret,
  DEFAULT_FRONTLINE_API_URL,
  FrontlineConfigError,
  loadFrontlineConfig,
} from '../../src/twilio/config';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const KEY = 'SK0123456789abcdef0123456789abcdef';
const TOKEN = 'tok-5f1e2d3c4b5a69788796a5b4c3d2e1f0';
const SECRET = 'sec-Zq9xY8wV7uT6sR5qP4oN3mL2kJ1iH0g';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadFrontlineConfig(env);
  } catch (error) {
    if (error instanceof FrontlineConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a FrontlineConfigError');
}

describe('Function: loadFrontlineConfig', () => {
  it('is off when no Twilio variable is set, blank ones included', () => {
    expect(loadFrontlineConfig({})).toEqual({ enabled: false });
    expect(loadFrontlineConfig({ TWILIO_ACCOUNT_SID: ' ', TWILIO_AUTH_TOKEN: '' })).toEqual({
      enabled: false,
    });
  });

  it('takes the account SID and auth token, with the default API URL', () => {
    expect(loadFrontlineConfig({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN })).toEqual({
      enabled: true,
      apiUrl: DEFAULT_FRONTLINE_API_URL,
      credentials: { kind: 'auth-token', accountSid: ACCOUNT, authToken: TOKEN },
    });
  });

  it('takes an API key and secret with the account SID, and FRONTLINE_API_URL without its trailing slash', () => {
    expect(
      loadFrontlineConfig({
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_API_KEY: KEY,
        TWILIO_API_SECRET: SECRET,
        FRONTLINE_API_URL: 'http://127.0.0.1:8082/',
      }),
    ).toEqual({
      enabled: true,
      apiUrl: 'http://127.0.0.1:8082',
      credentials: { kind: 'api-key', accountSid: ACCOUNT, apiKeySid: KEY, apiKeySecret: SECRET },
    });
  });

  it.each([
    [
      { TWILIO_AUTH_TOKEN: TOKEN },
      'TWILIO_ACCOUNT_SID is required with TWILIO_AUTH_TOKEN (the account SID, AC…)',
    ],
    [
      { TWILIO_ACCOUNT_SID: ACCOUNT },
      'TWILIO_ACCOUNT_SID is set without a credential: add TWILIO_AUTH_TOKEN, or TWILIO_API_KEY + TWILIO_API_SECRET',
    ],
    [
      { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY: KEY },
      'TWILIO_API_SECRET is required with TWILIO_API_KEY (the API key secret)',
    ],
    [
      { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_SECRET: SECRET },
      'TWILIO_API_KEY is required with TWILIO_API_SECRET (the API key SID, SK…)',
    ],
    [
      { TWILIO_API_KEY: KEY, TWILIO_API_SECRET: SECRET },
      'TWILIO_ACCOUNT_SID is required with an API key too (the account SID, AC…, the key belongs to)',
    ],
    [
      {
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_API_KEY: KEY,
        TWILIO_API_SECRET: SECRET,
      },
      'TWILIO_AUTH_TOKEN is set together with TWILIO_API_KEY/TWILIO_API_SECRET: configure one credential, not both',
    ],
    [
      { FRONTLINE_API_URL: 'http://127.0.0.1:8082' },
      'FRONTLINE_API_URL is set but no Twilio credentials are: set TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or with TWILIO_API_KEY + TWILIO_API_SECRET',
    ],
  ])('names the half-configured credential precisely: %j', (env, line) => {
    expect(problems(env)).toEqual([line]);
  });

  it.each([
    [
      { TWILIO_ACCOUNT_SID: 'SK0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: TOKEN },
      'TWILIO_ACCOUNT_SID',
    ],
    [{ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY: TOKEN, TWILIO_API_SECRET: SECRET }, 'TWILIO_API_KEY'],
    [
      { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN, FRONTLINE_API_URL: 'ftp://x' },
      'FRONTLINE_API_URL',
    ],
    [
      { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN, FRONTLINE_API_URL: `https://u:${SECRET}@h` },
      'FRONTLINE_API_URL',
    ],
    [
      { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN, FRONTLINE_API_URL: 'https://h/v1' },
      'FRONTLINE_API_URL',
    ],
  ])('rejects a malformed value, naming the variable: %j', (env, variable) => {
    const lines = problems(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`${variable} `)).toBe(true);
  });

  it('never echoes a secret value, in the problems or the message', () => {
    const envs: NodeJS.ProcessEnv[] = [
      { TWILIO_AUTH_TOKEN: TOKEN },
      { TWILIO_ACCOUNT_SID: TOKEN, TWILIO_AUTH_TOKEN: SECRET },
      { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY: SECRET, TWILIO_API_SECRET: TOKEN },
      { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN, FRONTLINE_API_URL: `https://u:${SECRET}@h` },
    ];
    for (const env of envs) {
      let message = '';
      try {
        loadFrontlineConfig(env);
      } catch (error) {
        message = `${(error as Error).message}\n${JSON.stringify(error)}`;
      }
      expect(message).toMatch(/Invalid Frontline configuration/);
      expect(message).not.toContain(TOKEN);
      expect(message).not.toContain(SECRET);
    }
  });
});

describe('Function: credentialsFromSecret', () => {
  it('reads both stored shapes', () => {
    expect(credentialsFromSecret({ accountSid: ACCOUNT, authToken: TOKEN })).toEqual({
      kind: 'auth-token',
      accountSid: ACCOUNT,
      authToken: TOKEN,
    });
    expect(credentialsFromSecret({ accountSid: ACCOUNT, apiKeySid: KEY, apiKeySecret: SECRET })).toEqual({
      kind: 'api-key',
      accountSid: ACCOUNT,
      apiKeySid: KEY,
      apiKeySecret: SECRET,
    });
  });

  it('rejects anything else without echoing it', () => {
    for (const value of [{ accountSid: ACCOUNT }, { authToken: TOKEN }, 'x', null]) {
      expect(() => credentialsFromSecret(value)).toThrow(FrontlineConfigError);
      try {
        credentialsFromSecret(value);
      } catch (error) {
        expect((error as Error).message).not.toContain(TOKEN);
      }
    }
  });
});
