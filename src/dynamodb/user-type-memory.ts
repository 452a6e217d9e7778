import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { RECORDS_TABLE_PARTITION_KEY, userTypeKey } from './keys';
import { type UserTypeMemory, UserTypeMemoryError } from '../domain/user-type-memory';

export interface DynamoUserTypeMemoryOptions {
  client: DynamoDBClient;
  /** The shared records table (infra/constructs/records-table.ts); these are its `user-type#…` items. */
  tableName: string;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * Overwritten roles in the shared records table: one item per Okta user, `{ pk: user-type#<userId>, userType,
 * recordedAt }`. Strongly consistent reads: a removal right after an onboarding sees what it recorded. Needs
 * `dynamodb:GetItem`, `PutItem` and `DeleteItem` on those items (the worker only).
 */
export class DynamoUserTypeMemory implements UserTypeMemory {
  private readonly now: () => Date;

  public constructor(private readonly options: DynamoUserTypeMemoryOptions) {
    this.now = options.now ?? (() => new Date());
  }

  public async remember(userId: string, previous: string | undefined): Promise<void> {
    if (previous === undefined) return this.forget(userId);
    await this.send(`recording the userType of ${userId}`, () =>
      this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            [RECORDS_TABLE_PARTITION_KEY]: { S: userTypeKey(userId) },
            userType: { S: previous },
            recordedAt: { S: this.now().toISOString() },
          },
        }),
      ),
    );
  }

  public async recall(userId: string): Promise<string | undefined> {
    const out = await this.send(`reading the recorded userType of ${userId}`, () =>
      this.options.client.send(
        new GetItemCommand({
          TableName: this.options.tableName,
          Key: this.key(userId),
          ConsistentRead: true,
        }),
      ),
    );
    const item: Record<string, AttributeValue> | undefined = out.Item;
    if (!item) return undefined;
    const value = item.userType?.S;
    if (value === undefined)
      throw new UserTypeMemoryError(`record ${userTypeKey(userId)} lacks userType (a string attribute)`);
    return value;
  }

  public async forget(userId: string): Promise<void> {
    await this.send(`forgetting the recorded userType of ${userId}`, () =>
      this.options.client.send(
        new DeleteItemCommand({ TableName: this.options.tableName, Key: this.key(userId) }),
      ),
    );
  }

  private key(userId: string): Record<string, AttributeValue> {
    return { [RECORDS_TABLE_PARTITION_KEY]: { S: userTypeKey(userId) } };
  }

  private async send<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new UserTypeMemoryError(`${what} failed: ${name}`, { cause: error });
    }
  }
}
