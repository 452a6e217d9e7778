import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoIdentityStore } from '../../src/dynamodb/identity-store';
import { IdentityStoreError } from '../../src/domain/identity-record';
import {
  identitiesOf,
  InMemoryIdentityStore,
  MAX_PREVIOUS_IDENTITIES,
  nextIdentityRecord,
} from '../../src/domain/identity-record';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const item = (userId: string, identity: string) => ({
  pk: { S: `identity#${userId}` },
  userId: { S: userId },
  identity: { S: identity },
  recordedAt: { S: NOW.toISOString() },
});

describe('Class: DynamoIdentityStore', () => {
  const ddb = mockClient(DynamoDBClient);
  const store = new DynamoIdentityStore({
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: 'identities',
    now: () => NOW,
  });
  beforeEach(() => ddb.reset());

  it('records the identity as one item keyed identity#<user id> in the records table', async () => {
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).resolves({});
    await store.record('00uAna', 'Ana@Example.com');
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'identities',
      Item: item('00uAna', 'Ana@Example.com'),
    });
  });

  it('reads a record back with a consistent read', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item('00uAna', 'ana@example.com') });
    await expect(store.get('00uAna')).resolves.toEqual({
      userId: '00uAna',
      identity: 'ana@example.com',
      recordedAt: NOW.toISOString(),
    });
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: 'identities',
      Key: { pk: { S: 'identity#00uAna' } },
      ConsistentRead: true,
    });
  });

  it('keeps a replaced identity in previous, a list of strings, and reads it back', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item('00uAna', 'ana@example.com') });
    ddb.on(PutItemCommand).resolves({});
    await store.record('00uAna', 'ana.new@example.com');
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      Item: { ...item('00uAna', 'ana.new@example.com'), previous: { L: [{ S: 'ana@example.com' }] } },
    });
    ddb.on(GetItemCommand).resolves({
      Item: { ...item('00uAna', 'ana.new@example.com'), previous: { L: [{ S: 'ana@example.com' }] } },
    });
    await expect(store.get('00uAna')).resolves.toMatchObject({ previous: ['ana@example.com'] });
  });

  it('answers undefined for a user it never recorded', async () => {
    ddb.on(GetItemCommand).resolves({});
    await expect(store.get('00uNobody')).resolves.toBeUndefined();
  });

  it('lists every record across scan pages', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [item('00u1', 'a@x'), item('00u2', 'b@x')],
        LastEvaluatedKey: { pk: { S: 'identity#00u2' } },
      })
      .resolvesOnce({ Items: [item('00u3', 'c@x')] });
    const all = await store.listAll();
    expect(all.map((r) => [r.userId, r.identity])).toEqual([
      ['00u1', 'a@x'],
      ['00u2', 'b@x'],
      ['00u3', 'c@x'],
    ]);
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(ddb.commandCalls(ScanCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({
      pk: { S: 'identity#00u2' },
    });
    // The table also holds the catch-up cursor and certificates: only identity items are asked for.
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, {
      FilterExpression: 'begins_with(#pk, :prefix)',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':prefix': { S: 'identity#' } },
    });
  });

  it('fails naming the record and the attribute when an item is not a record', async () => {
    ddb
      .on(GetItemCommand)
      .resolves({ Item: { pk: { S: 'identity#00uAna' }, userId: { S: '00uAna' }, identity: { N: '1' } } });
    await expect(store.get('00uAna')).rejects.toThrow(
      new IdentityStoreError(
        'identity record identity#00uAna lacks identity, recordedAt (a string attribute)',
      ),
    );
  });

  it('wraps DynamoDB failures, keeping the cause', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).rejects(throttled);
    const error = await store.record('00uAna', 'a@x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityStoreError);
    expect((error as Error).message).toBe(
      'recording the Frontline identity of 00uAna failed: ProvisionedThroughputExceededException: slow down',
    );
    expect((error as Error).cause).toBe(throttled);
  });
});

describe('Class: InMemoryIdentityStore', () => {
  it('keeps the latest identity per user and lists them all', async () => {
    const store = new InMemoryIdentityStore(() => NOW);
    await store.record('00u1', 'old@x');
    await store.record('00u1', 'new@x');
    await store.record('00u2', 'b@x');
    await expect(store.get('00u1')).resolves.toEqual({
      userId: '00u1',
      identity: 'new@x',
      recordedAt: NOW.toISOString(),
      previous: ['old@x'],
    });
    await expect(store.get('00u2')).resolves.not.toHaveProperty('previous');
    await expect(store.get('00u3')).resolves.toBeUndefined();
    expect((await store.listAll()).map((r) => r.userId).sort()).toEqual(['00u1', '00u2']);
  });
});

describe('Function: nextIdentityRecord', () => {
  const at = NOW.toISOString();
  it('moves a replaced identity to the front of previous, never repeating one, at most ten', () => {
    let record = nextIdentityRecord(undefined, '00u1', 'a', at);
    expect(record).toEqual({ userId: '00u1', identity: 'a', recordedAt: at });
    record = nextIdentityRecord(record, '00u1', 'b', at);
    record = nextIdentityRecord(record, '00u1', 'a', at);
    expect(identitiesOf(record)).toEqual(['a', 'b']);
    for (let i = 0; i < 20; i += 1) record = nextIdentityRecord(record, '00u1', `n${i}`, at);
    expect(record.previous).toHaveLength(MAX_PREVIOUS_IDENTITIES);
    expect(record.previous?.[0]).toBe('n18');
  });

  it('keeps the history as it is when the same identity is recorded again', () => {
    const before = { userId: '00u1', identity: 'b', recordedAt: 'then', previous: ['a'] };
    expect(nextIdentityRecord(before, '00u1', 'b', at)).toEqual({ ...before, recordedAt: at });
  });
});
