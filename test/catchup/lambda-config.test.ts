import { CatchupConfigError, loadCatchupLambdaConfig } from '../../src/catchup/lambda-config';

const GROUP_A = '00gA0000000000000000';
const GROUP_B = '00gB0000000000000000';
const GROUP_REQUIRED =
  'FRONTLINE_GROUP_ID is required (the Okta group whose members get Frontline; or FRONTLINE_GROUP_IDS)';

const ENV = {
  OKTA_ORG_URL: 'https://example.okta.com',
  OKTA_CREDENTIALS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:okta',
  FRONTLINE_APP_ID: '0oa1frontline0000000',
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/work.fifo',
  RECORDS_TABLE_NAME: 'records',
};

describe('Function: loadCatchupLambdaConfig, the Frontline groups', () => {
  it('reads one group from FRONTLINE_GROUP_ID', () => {
    // Act
    const config = loadCatchupLambdaConfig({ ...ENV, FRONTLINE_GROUP_ID: GROUP_A }, 'hook');

    // Assess
    expect(config.groupIds).toEqual([GROUP_A]);
  });

  it('accepts FRONTLINE_GROUP_IDS alone, trimming spaces and dropping empty entries', () => {
    // Act
    const config = loadCatchupLambdaConfig(
      { ...ENV, FRONTLINE_GROUP_IDS: ` ${GROUP_A} , ,${GROUP_B},` },
      'hook',
    );

    // Assess
    expect(config.groupIds).toEqual([GROUP_A, GROUP_B]);
  });

  it('joins FRONTLINE_GROUP_IDS with FRONTLINE_GROUP_ID and names each group once', () => {
    // Act
    const config = loadCatchupLambdaConfig(
      { ...ENV, FRONTLINE_GROUP_ID: GROUP_A, FRONTLINE_GROUP_IDS: `${GROUP_B},${GROUP_A}` },
      'hook',
    );

    // Assess
    expect(config.groupIds).toEqual([GROUP_A, GROUP_B]);
  });

  it('refuses a configuration without any group, naming FRONTLINE_GROUP_ID', () => {
    // Act
    const load = () => loadCatchupLambdaConfig({ ...ENV, FRONTLINE_GROUP_IDS: ' , ' }, 'hook');

    // Assess
    expect(load).toThrow(CatchupConfigError);
    expect(load).toThrow(GROUP_REQUIRED);
  });
});
