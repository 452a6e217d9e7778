import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { useMockRecordsTable } from '../dynamodb/records-table-mock';
import {
  InMemoryUserTypeMemory,
  UserTypeMemoryError,
  type UserTypeMemory,
} from '../../src/domain/user-type-memory';
import { DynamoUserTypeMemory } from '../../src/dynamodb/user-type-memory';
import { RECORD_KINDS } from '../../src/dynamodb/keys';
import { openLocalDatabase } from '../../src/sqlite/database';
import { sqliteUserTypeMemory } from '../../src/sqlite/user-type-memory';

const table = useMockRecordsTable();
const { ddb } = table;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'user-types-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Each adapter, and how to open it again as a new process would (the same table, the same database file). */
const adapters: [string, () => UserTypeMemory][] = [
  ['in memory', () => new InMemoryUserTypeMemory()],
  ['SQLite', () => sqliteUserTypeMemory(openLocalDatabase(dir))],
  [
    'DynamoDB',
    () =>
      new DynamoUserTypeMemory({ client: new DynamoDBClient({ region: 'eu-west-1' }), tableName: 'records' }),
  ],
];

describe.each(adapters)('Port: UserTypeMemory (%s)', (name, open) => {
  it('recalls the role recorded for a user, the latest one, and nothing once forgotten', async () => {
    const memory = open();
    await expect(memory.recall('00u1')).resolves.toBeUndefined();
    await memory.remember('00u1', 'contractor');
    await memory.remember('00u1', 'manager');
    await memory.remember('00u2', 'supervisor');
    // Another process (the next Lambda container, serve after a restart) reads what this one recorded.
    const again = name === 'in memory' ? memory : open();
    await expect(again.recall('00u1')).resolves.toBe('manager');
    await again.forget('00u1');
    await expect(again.recall('00u1')).resolves.toBeUndefined();
    await expect(again.recall('00u2')).resolves.toBe('supervisor');
  });

  it('forgets an older role when told the field was empty this time', async () => {
    const memory = open();
    await memory.remember('00u1', 'manager');
    await memory.remember('00u1', undefined);
    await expect(memory.recall('00u1')).resolves.toBeUndefined();
  });
});

describe('Class: DynamoUserTypeMemory', () => {
  const memory = () =>
    new DynamoUserTypeMemory({
      client: new DynamoDBClient({ region: 'eu-west-1' }),
      tableName: 'records',
      now: () => new Date('2026-12-06T10:00:00.000Z'),
    });

  it('keeps one user-type# item per user, read consistently', async () => {
    await memory().remember('00u1', 'manager');
    expect([...table.items().values()]).toEqual([
      {
        pk: { S: `${RECORD_KINDS.userType}00u1` },
        userType: { S: 'manager' },
        recordedAt: { S: '2026-12-06T10:00:00.000Z' },
      },
    ]);
    await memory().recall('00u1');
    expect(ddb.commandCalls(GetItemCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it('names the failure (the AWS error, not the request) as a UserTypeMemoryError', async () => {
    ddb.on(GetItemCommand).rejects(new ResourceNotFoundException({ message: 'no table', $metadata: {} }));
    const error = await memory()
      .recall('00u1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserTypeMemoryError);
    expect((error as Error).message).toBe(
      'reading the recorded userType of 00u1 failed: ResourceNotFoundException: no table',
    );
  });

  it('refuses an item without its value rather than putting back an empty role', async () => {
    table.items().set(`${RECORD_KINDS.userType}00u1`, { pk: { S: `${RECORD_KINDS.userType}00u1` } });
    await expect(memory().recall('00u1')).rejects.toThrow(UserTypeMemoryError);
  });
});
