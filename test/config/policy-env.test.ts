import { loadSettings, SettingsError } from '../../src/config/env';
import { resolvePolicy } from '../../src/domain/policy';
import { loadReconcileLambdaConfig, ReconcileConfigError } from '../../src/reconcile/lambda-config';
import { loadWorkerLambdaConfig, WorkerConfigError } from '../../src/worker/lambda-config';

const GROUP_REQUIRED =
  'FRONTLINE_GROUP_ID is required (the Okta group whose members get Frontline; or FRONTLINE_GROUP_IDS)';

/** What loadSettings needs besides the policy. */
const LOCAL = {
  OKTA_ORG_URL: 'https://example.okta.com',
  OKTA_API_TOKEN: '00secret-token-value',
  OKTA_HOOK_SECRET: 'hook-secret-0123456789',
};
/** What the worker Lambda needs besides the policy. */
const WORKER = {
  OKTA_ORG_URL: 'https://example.okta.com',
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-AbCdEf',
  FRONTLINE_APP_ID: '0oa1frontline0000000',
};
/** What the reconcile Lambda needs besides the policy. */
const RECONCILE = {
  ...WORKER,
  FRONTLINE_REALM_SID: 'JB0123456789abcdef0123456789abcdef',
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/Work.fifo',
};

function settingsProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

const readers = [
  ['loadSettings', (env: NodeJS.ProcessEnv) => loadSettings({ ...LOCAL, ...env }).policy],
  [
    'loadWorkerLambdaConfig',
    (env: NodeJS.ProcessEnv) =>
      loadWorkerLambdaConfig({
        ...WORKER,
        RECORDS_TABLE_NAME: 'records',
        WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
        ...env,
      }).policy,
  ],
  [
    'loadReconcileLambdaConfig',
    (env: NodeJS.ProcessEnv) => loadReconcileLambdaConfig({ ...RECONCILE, ...env }).policy,
  ],
] as const;

describe('Function: loadSettings, the Frontline groups', () => {
  it('reads FRONTLINE_GROUP_IDS alone, trimming spaces and dropping empty entries', () => {
    // Act
    const settings = loadSettings({ ...LOCAL, FRONTLINE_GROUP_IDS: ' 00gA , ,00gB,' });

    // Assess
    expect(settings.policy.groupIds).toEqual(['00gA', '00gB']);
  });

  it('joins FRONTLINE_GROUP_IDS with FRONTLINE_GROUP_ID, FRONTLINE_GROUP_ID first', () => {
    // Act
    const settings = loadSettings({ ...LOCAL, FRONTLINE_GROUP_ID: '00g1', FRONTLINE_GROUP_IDS: '00gA,00gB' });

    // Assess
    expect(settings.policy.groupIds).toEqual(['00g1', '00gA', '00gB']);
  });

  it('names a group given twice once', () => {
    // Act
    const settings = loadSettings({
      ...LOCAL,
      FRONTLINE_GROUP_ID: '00gB',
      FRONTLINE_GROUP_IDS: '00gA, 00gB,00gA',
    });

    // Assess
    expect(settings.policy.groupIds).toEqual(['00gB', '00gA']);
  });

  it.each([
    ['neither variable is set', {}],
    ['both are blank or only commas', { FRONTLINE_GROUP_ID: ' ', FRONTLINE_GROUP_IDS: ' , ,' }],
  ])('refuses the settings when %s, naming FRONTLINE_GROUP_ID', (_name, groups) => {
    // Act
    const problems = settingsProblems({ ...LOCAL, ...groups });

    // Assess
    expect(problems).toEqual([GROUP_REQUIRED]);
  });

  it('names FRONTLINE_ASSIGNMENT_MODE when its value is not a mode, without quoting the value', () => {
    // Act
    const problems = settingsProblems({
      ...LOCAL,
      FRONTLINE_GROUP_IDS: '00gA,00gB',
      FRONTLINE_ASSIGNMENT_MODE: 'everyone',
    });

    // Assess
    expect(problems).toEqual(['FRONTLINE_ASSIGNMENT_MODE must be "user" or "group"']);
  });
});

describe('Function: loadWorkerLambdaConfig, the Frontline groups', () => {
  it('reads FRONTLINE_GROUP_IDS alone, trimming spaces and dropping empty entries', () => {
    // Act
    const config = loadWorkerLambdaConfig({
      ...WORKER,
      RECORDS_TABLE_NAME: 'records',
      WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
      FRONTLINE_GROUP_IDS: ' 00gA , ,00gB,',
    });

    // Assess
    expect(config.policy.groupIds).toEqual(['00gA', '00gB']);
  });

  it('joins FRONTLINE_GROUP_IDS with FRONTLINE_GROUP_ID and names each group once', () => {
    // Act
    const config = loadWorkerLambdaConfig({
      ...WORKER,
      RECORDS_TABLE_NAME: 'records',
      WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
      FRONTLINE_GROUP_ID: '00g1',
      FRONTLINE_GROUP_IDS: '00gA,00g1, 00gB',
    });

    // Assess
    expect(config.policy.groupIds).toEqual(['00g1', '00gA', '00gB']);
  });

  it.each([
    ['neither variable is set', {}],
    ['both are blank or only commas', { FRONTLINE_GROUP_ID: '', FRONTLINE_GROUP_IDS: ',' }],
  ])('refuses the configuration when %s, naming FRONTLINE_GROUP_ID', (_name, groups) => {
    // Act
    const load = () =>
      loadWorkerLambdaConfig({
        ...WORKER,
        RECORDS_TABLE_NAME: 'records',
        WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
        ...groups,
      });

    // Assess
    expect(load).toThrow(WorkerConfigError);
    expect(load).toThrow(GROUP_REQUIRED);
  });

  it('names FRONTLINE_ASSIGNMENT_MODE when its value is not a mode, without quoting the value', () => {
    // Prepare
    const env = {
      ...WORKER,
      RECORDS_TABLE_NAME: 'records',
      WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
      FRONTLINE_GROUP_IDS: '00gA,00gB',
      FRONTLINE_ASSIGNMENT_MODE: 'everyone',
    };

    // Act
    let error: unknown;
    try {
      loadWorkerLambdaConfig(env);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(WorkerConfigError);
    expect((error as WorkerConfigError).problems).toEqual([
      'FRONTLINE_ASSIGNMENT_MODE must be "user" or "group"',
    ]);
    expect((error as Error).message).not.toContain('everyone');
  });
});

describe('Function: loadReconcileLambdaConfig, the Frontline groups', () => {
  it('refuses the configuration without any group, naming FRONTLINE_GROUP_ID', () => {
    // Act
    const load = () => loadReconcileLambdaConfig({ ...RECONCILE, FRONTLINE_GROUP_IDS: ' , ' });

    // Assess
    expect(load).toThrow(ReconcileConfigError);
    expect(load).toThrow(GROUP_REQUIRED);
  });
});

describe('One policy, three readers: loadSettings, loadWorkerLambdaConfig and loadReconcileLambdaConfig', () => {
  const FULL = {
    FRONTLINE_GROUP_ID: '00g1',
    FRONTLINE_GROUP_IDS: ' 00gA, 00g1 ,,00gB',
    FRONTLINE_USERNAME_TEMPLATE: '${source.login}',
    FRONTLINE_ASSIGNMENT_MODE: 'group',
    FRONTLINE_SUSPENDED_POLICY: 'keep',
    FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL: 'true',
    FRONTLINE_PRUNE_UNMANAGED: 'true',
    RECONCILE_MAX_REMOVAL_SHARE: '0.25',
  };

  it.each(readers)('%s reads every policy variable into the one Policy', (_name, read) => {
    // Act
    const policy = read(FULL);

    // Assess
    expect(policy).toEqual(
      resolvePolicy({
        groupIds: ['00g1', '00gA', '00gB'],
        pinnedUserNameTemplate: '${source.login}',
        assignmentMode: 'group',
        suspendedPolicy: 'keep',
        clearUserTypeOnRemoval: true,
        pruneUnmanaged: true,
        maxRemovalShare: 0.25,
      }),
    );
  });

  it.each(readers)('%s applies the policy defaults when only the groups are set', (_name, read) => {
    // Act
    const policy = read({ FRONTLINE_GROUP_IDS: '00gA,00gB' });

    // Assess
    expect(policy).toEqual(resolvePolicy({ groupIds: ['00gA', '00gB'] }));
  });

  it('gives the same Policy through each reader for the same environment', () => {
    // Act
    const policies = [FULL, { FRONTLINE_GROUP_IDS: '00gA,00gB' }].map((env) =>
      readers.map(([, read]) => read(env)),
    );

    // Assess
    for (const [local, worker, reconcile] of policies) {
      expect(worker).toEqual(local);
      expect(reconcile).toEqual(local);
    }
  });
});
