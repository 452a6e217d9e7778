import {
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { IdentityStoreError } from './errors';
import type { IdentityRecord, IdentityStore } from './identity-store';

/** The table's partition key (a string attribute); the stack creates the table with it. */
export const IDENTITY_TABLE_PARTITION_KEY = 'userId';

export interface DynamoIdentityStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * Identity records in a DynamoDB table: one item per Okta user, `{ userId, identity, recordedAt }`, all strings.
 * Reads are strongly consistent, so an offboarding right after an onboarding sees its record.
 */
export class DynamoIdentityStore implements IdentityStore {
  private readonly now: () => Date;

  public constructor(private readonly options: DynamoIdentityStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  public async record(userId: string, identity: string): Promise<void> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            [IDENTITY_TABLE_PARTITION_KEY]: { S: userId },
            identity: { S: identity },
            recordedAt: { S: this.now().toISOString() },
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
          Key: { [IDENTITY_TABLE_PARTITION_KEY]: { S: userId } },
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
  const userId = item[IDENTITY_TABLE_PARTITION_KEY]?.S;
  const identity = item.identity?.S;
  const recordedAt = item.recordedAt?.S;
  if (!userId || identity === undefined || identity === '' || !recordedAt) {
    const missing = [
      ...(!userId ? [IDENTITY_TABLE_PARTITION_KEY] : []),
      ...(!identity ? ['identity'] : []),
      ...(!recordedAt ? ['recordedAt'] : []),
    ];
    throw new IdentityStoreError(
      `identity record ${userId ?? '(no userId)'} lacks ${missing.join(', ')} (a string attribute)`,
    );
  }
  return { userId, identity, recordedAt };
}

const nameOf = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
