import type { Template } from 'aws-cdk-lib/assertions';
import { RECORDS_TABLE_PARTITION_KEY } from '../../src/dynamodb/keys';
import { configWith, resourcesOf, synthesize, SYNTH_TIMEOUT_MS } from './helpers';

describe('Stack: the durable records table', () => {
  let template: Template;

  beforeAll(() => {
    ({ template } = synthesize(configWith()));
  }, SYNTH_TIMEOUT_MS);

  it('creates one on-demand, encrypted table with point-in-time recovery, keyed by the shared partition key', () => {
    const tables = Object.values(resourcesOf(template, 'AWS::DynamoDB::GlobalTable'));
    expect(tables).toHaveLength(1);
    const props = tables[0]?.Properties as Record<string, unknown>;
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.KeySchema).toEqual([{ AttributeName: RECORDS_TABLE_PARTITION_KEY, KeyType: 'HASH' }]);
    expect(props.SSESpecification).toMatchObject({ SSEEnabled: true });
    expect(props.Replicas).toEqual([
      expect.objectContaining({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    ]);
  });

  it('keeps the table (and the identities that offboard leavers) when the stack is deleted or the table replaced', () => {
    const [table] = Object.values(resourcesOf(template, 'AWS::DynamoDB::GlobalTable'));
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
  });
});
