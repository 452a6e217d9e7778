import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  DeploymentConfigSchema,
  loadDeploymentConfig,
  parseDeploymentConfig,
} from '../../infra/config';
import { deploymentPolicy } from '../../infra/deployment-policy';
import { configWith, EXAMPLE_CONFIG_PATH, exampleConfigJson } from './helpers';
import { DEFAULT_MAX_RECEIVE_COUNT } from '../../src/worker/outage-hold';

function problemsOf(input: unknown): readonly string[] {
  try {
    parseDeploymentConfig(input, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Config: DeploymentConfigSchema', () => {
  it('accepts the example file as is and fills the documented defaults', () => {
    const config = loadDeploymentConfig(EXAMPLE_CONFIG_PATH);
    expect(config).toMatchObject({
      oktaOrgUrl: 'https://example.okta.com',
      reconcileRate: '1 hour',
      maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
      workerMaxConcurrency: 2,
      appCheckMode: 'report',
      hookAuthHeader: 'Authorization',
      maxEventHookBodyBytes: 1_048_576,
      apiThrottle: { rateLimit: 50, burstLimit: 100 },
      certificateExpiryWarningDays: 30,
      bootstrap: false,
    });
  });

  it('fills every default from the minimal file', () => {
    const config = parseDeploymentConfig({
      oktaOrgUrl: 'https://acme.okta.com/',
      groupId: '00g1a2b3c4d5e6f7g8h9',
      appId: '0oa1a2b3c4d5e6f7g8h9',
      realmSid: 'JB0123456789abcdef0123456789abcdef',
    });
    expect(config).toEqual({
      stackName: 'FrontlineOktaProvisioner',
      oktaOrgUrl: 'https://acme.okta.com',
      groupId: '00g1a2b3c4d5e6f7g8h9',
      appId: '0oa1a2b3c4d5e6f7g8h9',
      realmSid: 'JB0123456789abcdef0123456789abcdef',
      appLabel: 'Twilio Frontline',
      reconcileRate: '1 hour',
      appCheckMode: 'report',
      maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
      workerMaxConcurrency: 2,
      bootstrap: false,
      hookAuthHeader: 'Authorization',
      maxEventHookBodyBytes: 1_048_576,
      apiThrottle: { rateLimit: 50, burstLimit: 100 },
      logRetentionDays: 90,
      certificateExpiryWarningDays: 30,
      tags: {},
    });
    // The policy fields' defaults are the policy's own (src/domain/policy.ts), applied by deploymentPolicy.
    expect(deploymentPolicy(config)).toEqual({
      groupIds: ['00g1a2b3c4d5e6f7g8h9'],
      clearUserTypeOnRemoval: false,
      maxRemovalShare: 0.1,
      minRemovalAllowance: 5,
      maxGrantShare: 0.1,
      minGrantAllowance: 5,
      pruneUnmanaged: false,
      suspendedPolicy: 'remove',
      assignmentMode: 'user',
      pinnedUserNameTemplate: undefined,
    });
  });

  it('reports one line per problem: field, value, what is allowed', () => {
    const problems = problemsOf({
      ...exampleConfigJson(),
      oktaOrgUrl: 'http://acme.okta.com',
      groupId: 'everyone',
      reconcileRate: '5 minutes',
      workerMaxConcurrency: 1,
      appCheckMode: 'fix',
      logRetentionDays: 4,
      reconcileRte: '1 hour',
    });
    expect(problems).toEqual([
      'oktaOrgUrl: "http://acme.okta.com" — must be the Okta org URL, https://<your-org>.okta.com (https only)',
      'groupId: "everyone" — must be an Okta group id: "00g" followed by 17 letters or digits',
      'reconcileRate: "5 minutes" — must be "<n> minutes", "<n> hours" or "<n> days" (e.g. "1 hour"), at least 15 minutes and at most 3 days',
      'appCheckMode: "fix" — must be "repair" or "report"',
      expect.stringMatching(/^workerMaxConcurrency: 1 — .*2/),
      expect.stringMatching(/^logRetentionDays: 4 — must be one of 1, 3, 5, 7, 14, 30/),
      expect.stringMatching(
        /^reconcileRte: unknown field — allowed fields: stackName, oktaOrgUrl, .*reconcileRate/,
      ),
    ]);
  });

  it('names missing required fields, and asks for appId only without bootstrap', () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^oktaOrgUrl: \(missing\) — /),
      expect.stringMatching(/^realmSid: \(missing\) — /),
      'appId: (missing) — required unless "bootstrap" is true (the Frontline SAML app id, "0oa…")',
      expect.stringMatching(/^groupId: \(missing\) — /),
    ]);
    const { appId: _appId, ...withoutApp } = exampleConfigJson();
    expect(problemsOf(withoutApp)).toEqual([expect.stringMatching(/^appId: \(missing\)/)]);
    expect(() => parseDeploymentConfig({ ...withoutApp, bootstrap: true })).not.toThrow();
  });

  it('rejects a username template the worker could not evaluate', () => {
    expect(problemsOf({ ...exampleConfigJson(), usernameTemplate: 'agent' })).toEqual([
      expect.stringMatching(/^usernameTemplate: "agent" — must be an Okta username expression/),
    ]);
  });

  it('rejects a malformed Realm SID, certificate fingerprint and throttle', () => {
    const problems = problemsOf({
      ...exampleConfigJson(),
      realmSid: 'AC0123456789abcdef0123456789abcdef',
      confirmedCertificateSha256: 'abc',
      apiThrottle: { rateLimit: 10, burstLimit: 10, extra: 1 },
    });
    expect(problems).toEqual([
      'realmSid: "AC0123456789abcdef0123456789abcdef" — must be a Frontline Realm SID: "JB" followed by 32 hex digits',
      'apiThrottle.extra: unknown field — allowed fields: rateLimit, burstLimit',
      expect.stringMatching(/^confirmedCertificateSha256: "abc" — must be a SHA-256 fingerprint/),
    ]);
    expect(problemsOf({ ...exampleConfigJson(), apiThrottle: { rateLimit: 100, burstLimit: 10 } })).toEqual([
      'apiThrottle.burstLimit: 10 — must be at least apiThrottle.rateLimit (100)',
    ]);
  });

  it('fails with one line when the file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontline-config-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "oktaOrgUrl": ');
    expect(() => loadDeploymentConfig(join(dir, 'nope.json'))).toThrow(
      expect.objectContaining({
        problems: [expect.stringMatching(/nope\.json" — cannot be read \(ENOENT\)$/)],
      }),
    );
    expect(() => loadDeploymentConfig(broken)).toThrow(
      expect.objectContaining({ problems: [expect.stringMatching(/broken\.json" — is not valid JSON/)] }),
    );
    expect(() => loadDeploymentConfig(undefined)).toThrow(
      expect.objectContaining({
        problems: [expect.stringMatching(/^config: \(missing\) — .*-c config=<path>/)],
      }),
    );
  });

  it('describes every field, with its default or "Required"', () => {
    for (const [field, schema] of Object.entries(DeploymentConfigSchema.shape)) {
      const text = (schema as { description?: string }).description ?? '';
      const defaulted = (schema as { def?: { type?: string } }).def?.type === 'default';
      expect({ field, described: text.length > 0 }).toEqual({ field, described: true });
      expect({ field, defaultStated: defaulted || /Required|Default/.test(text) }).toEqual({
        field,
        defaultStated: true,
      });
    }
  });
});

describe('Config: existingOktaCredentialsKmsKeyArn', () => {
  const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
  const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-creds-AbCdEf';

  it('accepts a key ARN beside an existing credentials secret', () => {
    const config = configWith({
      existingOktaCredentialsSecretArn: SECRET,
      existingOktaCredentialsKmsKeyArn: KEY,
    });
    expect(config.existingOktaCredentialsKmsKeyArn).toBe(KEY);
  });

  it('rejects an alias and a key without an existing secret, saying why', () => {
    expect(() =>
      configWith({
        existingOktaCredentialsSecretArn: SECRET,
        existingOktaCredentialsKmsKeyArn: 'alias/okta',
      }),
    ).toThrow(/existingOktaCredentialsKmsKeyArn: "alias\/okta" — must be the ARN of a KMS key/);
    expect(() => configWith({ existingOktaCredentialsKmsKeyArn: KEY })).toThrow(
      /only applies with existingOktaCredentialsSecretArn/,
    );
  });
});
