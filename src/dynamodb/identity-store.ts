import {
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { identityKey, RECORD_KINDS, RECORDS_TABLE_PARTITION_KEY } from './keys';
import {
  nextIdentityRecord,
  type IdentityRecord,
  type IdentityStore,
  IdentityStoreError,
} from '../domain/identity-record';

export interface DynamoIdentityStoreOptions {
  client: DynamoDBClient;
  /** The shared records table (infra/constructs/records-table.ts); identities are its `identity#…` items. */
  tableName: string;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * Identity records in the shared records table: one item per Okta user, `{ pk: identity#<userId>, userId,
 * identity, recordedAt, previous? }`, strings and a list of strings (key layout in src/dynamodb/keys.ts). Reads are strongly consistent, so an
 * offboarding right after an onboarding sees its record. Needs `dynamodb:PutItem`, `GetItem` (worker) and `Scan`
 * (reconcile) on the table.
 */
export class DynamoIdentityStore implements IdentityStore {
  private readonly now: () => Date;

  public constructor(private readonly options: DynamoIdentityStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Reads the record, then writes it with a replaced identity moved to `previous` (a list of strings). One user's
   * work items never run at once, so only the hourly reconcile's recording of a member with none on record can meet
   * a worker's write; both write the assignment's own username.
   */
  public async record(userId: string, identity: string): Promise<void> {
    const next = nextIdentityRecord(await this.get(userId), userId, identity, this.now().toISOString());
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            [RECORDS_TABLE_PARTITION_KEY]: { S: identityKey(userId) },
            userId: { S: userId },
            identity: { S: identity },
            recordedAt: { S: next.recordedAt },
            ...(next.previous ? { previous: { L: next.previous.map((p) => ({ S: p })) } } : {}),
          },
        }),
      );
    } catch (error) {
      throw new IdentityStoreError(`recording the Frontline identity of ${userId} failed: ${nameOf(error)}`, {
        cause: error,
      });
    }
  }

  public async get(userId: string): Promise<IdentityRecord | undefined> {
    let item: Record<string, AttributeValue> | undefined;
    try {
      const out = await this.options.client.send(
        new GetItemCommand({
          TableName: this.options.tableName,
          Key: { [RECORDS_TABLE_PARTITION_KEY]: { S: identityKey(userId) } },
          ConsistentRead: true,
        }),
      );
      item = out.Item;
    } catch (error) {
      throw new IdentityStoreError(`reading the Frontline identity of ${userId} failed: ${nameOf(error)}`, {
        cause: error,
      });
    }
    return item ? recordOf(item) : undefined;
  }

  /** A paged scan filtered to the identity items: the table also holds the catch-up cursor and certificates. */
  public async listAll(): Promise<IdentityRecord[]> {
    const records: IdentityRecord[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      let out;
      try {
        out = await this.options.client.send(
          new ScanCommand({
            TableName: this.options.tableName,
            ConsistentRead: true,
            FilterExpression: 'begins_with(#pk, :prefix)',
            ExpressionAttributeNames: { '#pk': RECORDS_TABLE_PARTITION_KEY },
            ExpressionAttributeValues: { ':prefix': { S: RECORD_KINDS.identity } },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
      } catch (error) {
        throw new IdentityStoreError(`listing the Frontline identities failed: ${nameOf(error)}`, {
          cause: error,
        });
      }
      for (const item of out.Items ?? []) records.push(recordOf(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return records;
  }
}

function recordOf(item: Record<string, AttributeValue>): IdentityRecord {
  const key = item[RECORDS_TABLE_PARTITION_KEY]?.S;
  const userId = item.userId?.S ?? key?.slice(RECORD_KINDS.identity.length);
  const identity = item.identity?.S;
  const recordedAt = item.recordedAt?.S;
  if (!userId || !identity || !recordedAt) {
    const missing = [
      ...(!userId ? ['userId'] : []),
      ...(!identity ? ['identity'] : []),
      ...(!recordedAt ? ['recordedAt'] : []),
    ];
    throw new IdentityStoreError(
      `identity record ${key ?? '(no key)'} lacks ${missing.join(', ')} (a string attribute)`,
    );
  }
  const previous = (item.previous?.L ?? []).flatMap((v) => (v.S ? [v.S] : []));
  return { userId, identity, recordedAt, ...(previous.length > 0 ? { previous } : {}) };
}

const nameOf = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
