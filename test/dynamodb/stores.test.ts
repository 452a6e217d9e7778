import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import 'aws-sdk-client-mock-jest';
import { CursorStoreError } from '../../src/domain/errors';
import { dynamoFingerprintStore } from '../../src/dynamodb/certificate-store';
import { dynamoCursorStore } from '../../src/dynamodb/cursor-store';
import { RecordsTableError } from '../../src/dynamodb/errors';
import { certificateKey, RECORD_KINDS } from '../../src/dynamodb/keys';
import { useMockRecordsTable } from './records-table-mock';

const NOW = new Date('2026-12-01T10:00:00.000Z');

describe('Function: the records-table adapters', () => {
  const table = useMockRecordsTable();
  const { ddb } = table;
  const client = new DynamoDBClient({ region: 'eu-west-1' });

  it('keeps the cursor as the one catch-up item and reads it back consistently', async () => {
    const store = dynamoCursorStore({ client, tableName: 'records', now: () => NOW });
    await expect(store.get()).resolves.toBeUndefined();
    await store.save('https://example.okta.com/api/v1/logs?after=abc');
    await expect(dynamoCursorStore({ client, tableName: 'records' }).get()).resolves.toEqual({
      url: 'https://example.okta.com/api/v1/logs?after=abc',
      savedAt: NOW.toISOString(),
    });
    expect([...table.items().keys()]).toEqual([RECORD_KINDS.catchupCursor]);
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, { TableName: 'records', ConsistentRead: true });
  });

  it('names the failure without the AWS request when the table is unavailable', async () => {
    ddb
      .on(GetItemCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow', $metadata: {} }));
    const error = await dynamoCursorStore({ client, tableName: 'records' })
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CursorStoreError);
    expect((error as Error).message).toContain('ProvisionedThroughputExceededException');
  });

  it('answers the confirmed certificate from the table, the environment value until one is recorded', async () => {
    const store = dynamoFingerprintStore({ client, tableName: 'records', fallback: 'AA:from-env' });
    await expect(store.get('0oaApp')).resolves.toBe('AA:from-env');
    await store.confirm('0oaApp', 'BB:confirmed', NOW);
    await expect(store.get('0oaApp')).resolves.toBe('BB:confirmed');
    expect(table.items().get(certificateKey('0oaApp'))).toEqual({
      pk: { S: certificateKey('0oaApp') },
      fingerprintSha256: { S: 'BB:confirmed' },
      confirmedAt: { S: NOW.toISOString() },
    });
  });

  it('records the IdP issuer on the certificate item and reads an item from before it as none on record', async () => {
    const store = dynamoFingerprintStore({ client, tableName: 'records', fallback: 'AA:from-env' });
    await expect(store.getIdpIssuer('0oaApp')).resolves.toBeUndefined();
    await store.confirm('0oaApp', 'BB:confirmed', NOW);
    await expect(store.getIdpIssuer('0oaApp')).resolves.toBeUndefined();

    await store.confirm('0oaApp', 'CC:confirmed', NOW, 'urn:example:okta:frontline');
    await expect(store.get('0oaApp')).resolves.toBe('CC:confirmed');
    await expect(store.getIdpIssuer('0oaApp')).resolves.toBe('urn:example:okta:frontline');
    expect(table.items().get(certificateKey('0oaApp'))).toEqual({
      pk: { S: certificateKey('0oaApp') },
      fingerprintSha256: { S: 'CC:confirmed' },
      confirmedAt: { S: NOW.toISOString() },
      idpIssuer: { S: 'urn:example:okta:frontline' },
    });
  });

  it('fails a certificate write with a RecordsTableError', async () => {
    ddb.on(PutItemCommand).rejects(new Error('AccessDenied'));
    await expect(
      dynamoFingerprintStore({ client, tableName: 'records' }).confirm('0oaApp', 'CC', NOW),
    ).rejects.toBeInstanceOf(RecordsTableError);
  });
});
