import { ConfigError } from '../../src/config/errors';
import { LEGACY_LAMBDA_ENV_NAMES, withLegacyNames } from '../../src/config/env-schema';
import { SettingsError } from '../../src/config/env';
import { loadReconcileLambdaConfig, ReconcileConfigError } from '../../src/reconcile/lambda-config';
import { loadReceiverConfig, ReceiverConfigError } from '../../src/receiver/config';
import { loadWorkerLambdaConfig, WorkerConfigError } from '../../src/worker/lambda-config';
import { ConfigError as DeploymentConfigError, parseDeploymentConfig } from '../../infra/config';
import { BootstrapConfigError, loadBootstrapLambdaConfig } from '../../src/bootstrap/lambda-config';

const OKTA = {
  OKTA_ORG_URL: 'https://example.okta.com',
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-AbCdEf',
  FRONTLINE_APP_ID: '0oa1frontline0000000',
  FRONTLINE_GROUP_ID: '00g1agents000000000',
};
const RECONCILE = {
  ...OKTA,
  FRONTLINE_REALM_SID: 'JB0123456789abcdef0123456789abcdef',
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Work.fifo',
};
const RECEIVER = {
  FRONTLINE_GROUP_ID: OKTA.FRONTLINE_GROUP_ID,
  WORK_QUEUE_URL: RECONCILE.WORK_QUEUE_URL,
  HOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf',
};

describe('Function: withLegacyNames', () => {
  it('copies an old Lambda name to its current name only when the current one is unset or blank', () => {
    expect(withLegacyNames({ PRUNE_UNMANAGED: 'true' }).FRONTLINE_PRUNE_UNMANAGED).toBe('true');
    expect(
      withLegacyNames({ PRUNE_UNMANAGED: 'true', FRONTLINE_PRUNE_UNMANAGED: ' ' }).FRONTLINE_PRUNE_UNMANAGED,
    ).toBe('true');
    expect(
      withLegacyNames({ PRUNE_UNMANAGED: 'true', FRONTLINE_PRUNE_UNMANAGED: 'false' })
        .FRONTLINE_PRUNE_UNMANAGED,
    ).toBe('false');
  });

  it('maps each renamed setting to the local name', () => {
    expect(Object.keys(LEGACY_LAMBDA_ENV_NAMES).sort()).toEqual([
      'FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL',
      'FRONTLINE_PRUNE_UNMANAGED',
      'FRONTLINE_USERNAME_TEMPLATE',
      'OKTA_HOOK_AUTH_HEADER',
    ]);
  });
});

describe('Lambda configs: the local names, with the old Lambda names still accepted', () => {
  it('reads the worker’s settings under either name, the local name winning', () => {
    const legacy = loadWorkerLambdaConfig({
      ...OKTA,
      RECORDS_TABLE_NAME: 'records',
      WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
      USERNAME_TEMPLATE: '${source.login}',
      CLEAR_USERTYPE_ON_REMOVAL: 'true',
      PRUNE_UNMANAGED: 'true',
    });
    expect(legacy.policy).toMatchObject({
      pinnedUserNameTemplate: '${source.login}',
      clearUserTypeOnRemoval: true,
      pruneUnmanaged: true,
    });
    const both = loadWorkerLambdaConfig({
      ...OKTA,
      RECORDS_TABLE_NAME: 'records',
      WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
      USERNAME_TEMPLATE: '${source.login}',
      FRONTLINE_USERNAME_TEMPLATE: '${source.email}',
    });
    expect(both.policy.pinnedUserNameTemplate).toBe('${source.email}');
  });

  it('reads the reconcile’s template and prune switch under the old names', () => {
    const config = loadReconcileLambdaConfig({
      ...RECONCILE,
      USERNAME_TEMPLATE: '${source.login}',
      PRUNE_UNMANAGED: 'true',
    });
    expect(config.policy).toMatchObject({ pinnedUserNameTemplate: '${source.login}', pruneUnmanaged: true });
  });

  it('reads the receiver’s auth header under the old name', () => {
    expect(loadReceiverConfig({ ...RECEIVER, HOOK_AUTH_HEADER: 'X-Okta-Secret' }).headerName).toBe(
      'X-Okta-Secret',
    );
    expect(loadReceiverConfig({ ...RECEIVER, OKTA_HOOK_AUTH_HEADER: 'X-New' }).headerName).toBe('X-New');
  });

  it('names the local variable when a value is bad', () => {
    expect(() =>
      loadWorkerLambdaConfig({
        ...OKTA,
        RECORDS_TABLE_NAME: 'records',
        WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
        PRUNE_UNMANAGED: 'yes',
      }),
    ).toThrow(/FRONTLINE_PRUNE_UNMANAGED must be "true" or "false"/);
  });
});

describe('Class: ConfigError', () => {
  it('is the base of every configuration error', () => {
    const errors: unknown[] = [];
    const capture = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        errors.push(error);
      }
    };
    capture(() => loadWorkerLambdaConfig({}));
    capture(() => loadReconcileLambdaConfig({}));
    capture(() => loadReceiverConfig({}));
    capture(() => loadBootstrapLambdaConfig({}));
    capture(() => parseDeploymentConfig({}));
    errors.push(new SettingsError(['X is required']));
    const kinds = [
      WorkerConfigError,
      ReconcileConfigError,
      ReceiverConfigError,
      BootstrapConfigError,
      DeploymentConfigError,
      SettingsError,
    ];
    expect(errors).toHaveLength(kinds.length);
    errors.forEach((error, i) => {
      expect(error).toBeInstanceOf(kinds[i]);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.length).toBeGreaterThan(0);
    });
  });
});
