import { loadWorkerLambdaConfig, WorkerConfigError } from '../../src/worker/lambda-config';

const ENV = {
  OKTA_ORG_URL: 'https://example.okta.com/',
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-AbCdEf',
  FRONTLINE_APP_ID: '0oa1frontline0000000',
  FRONTLINE_GROUP_ID: '00g1agents000000000',
  RECORDS_TABLE_NAME: 'FrontlineOktaProvisioner-RecordsTable-AbC123',
  WORK_QUEUE_MAX_RECEIVE_COUNT: '20',
};

describe('Function: loadWorkerLambdaConfig', () => {
  it('reads the worker settings with their defaults', () => {
    expect(loadWorkerLambdaConfig(ENV)).toEqual({
      orgUrl: 'https://example.okta.com',
      credentialsSecretArn: ENV.OKTA_CREDENTIALS_SECRET_ARN,
      appId: ENV.FRONTLINE_APP_ID,
      recordsTableName: ENV.RECORDS_TABLE_NAME,
      maxReceiveCount: 20,
      policy: {
        groupIds: [ENV.FRONTLINE_GROUP_ID],
        pinnedUserNameTemplate: undefined,
        clearUserTypeOnRemoval: false,
        pruneUnmanaged: false,
        suspendedPolicy: 'remove',
        assignmentMode: 'user',
        maxRemovalShare: 0.1,
        minRemovalAllowance: 5,
        maxGrantShare: 0.1,
        minGrantAllowance: 5,
      },
    });
  });

  it('takes the username template and the clear-userType switch', () => {
    const config = loadWorkerLambdaConfig({
      ...ENV,
      FRONTLINE_USERNAME_TEMPLATE: '${source.login}',
      FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL: 'true',
    });
    expect(config.policy).toMatchObject({
      pinnedUserNameTemplate: '${source.login}',
      clearUserTypeOnRemoval: true,
    });
  });

  it('names every missing or invalid variable at once', () => {
    let error: unknown;
    try {
      loadWorkerLambdaConfig({
        OKTA_ORG_URL: 'not a url',
        FRONTLINE_USERNAME_TEMPLATE: '${nope}',
        FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL: 'yes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkerConfigError);
    const problems = (error as WorkerConfigError).problems.join('\n');
    for (const name of [
      'OKTA_ORG_URL',
      'OKTA_CREDENTIALS_SECRET_ARN',
      'FRONTLINE_APP_ID',
      'FRONTLINE_GROUP_ID',
      'FRONTLINE_CLEAR_USERTYPE_ON_REMOVAL',
      // Where the roles onboarding overwrites are recorded: without it one would be lost.
      'RECORDS_TABLE_NAME',
      // The receive budget: without it the worker could not tell when to stop holding and park.
      'WORK_QUEUE_MAX_RECEIVE_COUNT',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('rejects a username template it cannot evaluate', () => {
    expect(() => loadWorkerLambdaConfig({ ...ENV, FRONTLINE_USERNAME_TEMPLATE: '${user.email}' })).toThrow(
      /FRONTLINE_USERNAME_TEMPLATE .*unsupported expression/,
    );
  });

  it('reads FRONTLINE_SUSPENDED_POLICY and names it when the value is not keep or remove', () => {
    expect(
      loadWorkerLambdaConfig({ ...ENV, FRONTLINE_SUSPENDED_POLICY: 'keep' }).policy.suspendedPolicy,
    ).toBe('keep');
    expect(() => loadWorkerLambdaConfig({ ...ENV, FRONTLINE_SUSPENDED_POLICY: 'drop' })).toThrow(
      /FRONTLINE_SUSPENDED_POLICY must be "keep" or "remove"/,
    );
  });

  it('reads FRONTLINE_ASSIGNMENT_MODE and names it when the value is not user or group', () => {
    expect(loadWorkerLambdaConfig({ ...ENV, FRONTLINE_ASSIGNMENT_MODE: 'group' }).policy.assignmentMode).toBe(
      'group',
    );
    expect(() => loadWorkerLambdaConfig({ ...ENV, FRONTLINE_ASSIGNMENT_MODE: 'groups' })).toThrow(
      /FRONTLINE_ASSIGNMENT_MODE must be "user" or "group"/,
    );
  });
});
