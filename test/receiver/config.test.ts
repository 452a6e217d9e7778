import { loadReceiverConfig, ReceiverConfigError } from '../../src/receiver/config';
import { DEFAULT_MAX_EVENTS_PER_DELIVERY } from '../../src/receiver/receiver';
import { APP_ID, GROUP_ID } from './factories';

const SECOND_GROUP_ID = '00g2frontline000000x2';
const GROUP_REQUIRED =
  'FRONTLINE_GROUP_ID is required (the Okta group whose members get Frontline; or FRONTLINE_GROUP_IDS)';

const ENV = {
  FRONTLINE_APP_ID: APP_ID,
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/frontline-work.fifo',
  HOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf',
};

describe('Function: loadReceiverConfig, the Frontline groups', () => {
  it('reads one group from FRONTLINE_GROUP_ID', () => {
    // Act
    const config = loadReceiverConfig({ ...ENV, FRONTLINE_GROUP_ID: GROUP_ID });

    // Assess
    expect(config.groupIds).toEqual([GROUP_ID]);
  });

  it('accepts FRONTLINE_GROUP_IDS alone, trimming spaces and dropping empty entries', () => {
    // Act
    const config = loadReceiverConfig({ ...ENV, FRONTLINE_GROUP_IDS: ` ${GROUP_ID} , ,${SECOND_GROUP_ID},` });

    // Assess
    expect(config.groupIds).toEqual([GROUP_ID, SECOND_GROUP_ID]);
  });

  it('joins FRONTLINE_GROUP_IDS with FRONTLINE_GROUP_ID and names each group once', () => {
    // Act
    const config = loadReceiverConfig({
      ...ENV,
      FRONTLINE_GROUP_ID: GROUP_ID,
      FRONTLINE_GROUP_IDS: `${SECOND_GROUP_ID},${GROUP_ID}`,
    });

    // Assess
    expect(config.groupIds).toEqual([GROUP_ID, SECOND_GROUP_ID]);
  });

  it('refuses a configuration without any group, naming FRONTLINE_GROUP_ID', () => {
    // Act
    const load = () => loadReceiverConfig({ ...ENV, FRONTLINE_GROUP_IDS: ' , ' });

    // Assess
    expect(load).toThrow(ReceiverConfigError);
    expect(load).toThrow(GROUP_REQUIRED);
  });
});

describe('Function: loadReceiverConfig, the events a delivery may carry', () => {
  const env = {
    FRONTLINE_GROUP_ID: '00g1agents000000000',
    WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work.fifo',
    HOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-AbCdEf',
  };

  it('defaults to the receiver’s cap and reads MAX_EVENTS_PER_DELIVERY', () => {
    expect(loadReceiverConfig(env).maxEventsPerDelivery).toBe(DEFAULT_MAX_EVENTS_PER_DELIVERY);
    expect(loadReceiverConfig({ ...env, MAX_EVENTS_PER_DELIVERY: '50' }).maxEventsPerDelivery).toBe(50);
  });

  it('names MAX_EVENTS_PER_DELIVERY when it is not a whole number in range', () => {
    expect(() => loadReceiverConfig({ ...env, MAX_EVENTS_PER_DELIVERY: '0' })).toThrow(
      /MAX_EVENTS_PER_DELIVERY/,
    );
  });
});
