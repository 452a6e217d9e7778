import { loadSettings, SettingsError } from '../../src/config/env';

const base = {
  OKTA_ORG_URL: 'https://example.okta.com',
  OKTA_API_TOKEN: 'token',
  FRONTLINE_GROUP_ID: '00g1',
  FRONTLINE_APP_ID: '0oa1',
  OKTA_HOOK_SECRET: 'a-secret-of-enough-length',
};

describe('Function: loadSettings (serve)', () => {
  it('defaults retries to outlast an hour, the store to .frontline and the backstop to hourly', () => {
    const s = loadSettings(base);
    expect(s).toMatchObject({
      maxReceives: 20,
      retryBaseSeconds: 5,
      retryMaxSeconds: 300,
      dataDir: '.frontline',
      reconcileIntervalSeconds: 3600,
      drainTimeoutSeconds: 10,
      http: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 15_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 256,
      },
    });
  });

  it('reads fractional seconds and turns the backstop off with 0', () => {
    const s = loadSettings({
      ...base,
      WORK_RETRY_BASE_SECONDS: '0.05',
      FRONTLINE_RECONCILE_INTERVAL: '0',
      HTTP_REQUEST_TIMEOUT_SECONDS: '2.5',
    });
    expect([s.retryBaseSeconds, s.reconcileIntervalSeconds, s.http.requestTimeoutMs]).toEqual([
      0.05, 0, 2_500,
    ]);
  });

  it('names every bad value, one problem each', () => {
    let error: unknown;
    try {
      loadSettings({ ...base, WORK_RETRY_MAX_SECONDS: 'soon', HTTP_MAX_CONNECTIONS: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems).toEqual([
      expect.stringMatching(/^WORK_RETRY_MAX_SECONDS /),
      expect.stringMatching(/^HTTP_MAX_CONNECTIONS /),
    ]);
  });
});
