import { FrontlineConfigError } from '../../src/twilio/config';
import { loadFrontlineLambdaConfig } from '../../src/twilio/lambda-config';
import { parseTwilioSecret } from '../../src/twilio/secret-users';

const ACCOUNT = `AC${'a'.repeat(32)}`;
const KEY = `SK${'b'.repeat(32)}`;

describe('Function: parseTwilioSecret', () => {
  it('reads the stack’s placeholder as not set', () => {
    expect(parseTwilioSecret(JSON.stringify({ note: 'Not set yet' }))).toBe('not-set');
  });

  it('reads an API key and an auth token', () => {
    expect(
      parseTwilioSecret(
        JSON.stringify({ accountSid: ACCOUNT, apiKeySid: KEY, apiKeySecret: 's3cr3t-value' }),
      ),
    ).toEqual({
      kind: 'api-key',
      accountSid: ACCOUNT,
      apiKeySid: KEY,
      apiKeySecret: 's3cr3t-value',
    });
    expect(parseTwilioSecret(JSON.stringify({ accountSid: ACCOUNT, authToken: 'tok' }))).toMatchObject({
      kind: 'auth-token',
    });
  });

  it('fails on a half-filled secret without echoing its values', () => {
    const run = () =>
      parseTwilioSecret(JSON.stringify({ accountSid: ACCOUNT, apiKeySecret: 'leaky-secret-123' }));
    expect(run).toThrow(FrontlineConfigError);
    expect(() => run()).not.toThrow(/leaky-secret-123/);
  });

  it('fails on text that is not JSON', () => {
    expect(() => parseTwilioSecret('not json')).toThrow(FrontlineConfigError);
  });
});

describe('Function: loadFrontlineLambdaConfig', () => {
  it('is off without the secret ARN', () => {
    expect(loadFrontlineLambdaConfig({})).toEqual({ enabled: false });
  });

  it('needs the records table with the secret, and defaults the API URL to Twilio’s', () => {
    expect(() => loadFrontlineLambdaConfig({ TWILIO_CREDENTIALS_SECRET_ARN: 'arn:x' })).toThrow(
      /RECORDS_TABLE_NAME/,
    );
    expect(
      loadFrontlineLambdaConfig({ TWILIO_CREDENTIALS_SECRET_ARN: 'arn:x', RECORDS_TABLE_NAME: 't' }),
    ).toEqual({
      enabled: true,
      credentialsSecretArn: 'arn:x',
      recordsTableName: 't',
      apiUrl: 'https://frontline-api.twilio.com',
    });
  });
});
