import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CursorStoreError } from '../domain/errors';
import { RECORD_KINDS, RECORDS_TABLE_PARTITION_KEY } from './keys';

export interface DynamoRecordsOptions {
  client: DynamoDBClient;
  tableName: string;
  /** @default () => new Date() */
  now?: () => Date;
}

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : 'Error');

/**
 * The System Log cursor as one item of the records table: `{ pk: 'catchup-cursor', nextUrl, savedAt }`. Reads are
 * strongly consistent, so the next scheduled run sees what the last one saved.
 */
/** The catch-up's cursor store (src/catchup/cursor-store.ts) in the records table. */
export function dynamoCursorStore(options: DynamoRecordsOptions): {
  /** The saved `next` URL and when it was saved (src/catchup/cursor-store.ts `SavedCursor`). */
  get(): Promise<{ url: string; savedAt: string | undefined } | undefined>;
  save(cursor: string): Promise<void>;
} {
  const key = { [RECORDS_TABLE_PARTITION_KEY]: { S: RECORD_KINDS.catchupCursor } };
  const now = options.now ?? (() => new Date());
  return {
    async get() {
      try {
        const out = await options.client.send(
          new GetItemCommand({ TableName: options.tableName, Key: key, ConsistentRead: true }),
        );
        const url = out.Item?.nextUrl?.S;
        return url === undefined ? undefined : { url, savedAt: out.Item?.savedAt?.S };
      } catch (error) {
        throw new CursorStoreError(`reading the catch-up cursor failed: ${nameOf(error)}`, { cause: error });
      }
    },
    async save(cursor) {
      try {
        await options.client.send(
          new PutItemCommand({
            TableName: options.tableName,
            Item: { ...key, nextUrl: { S: cursor }, savedAt: { S: now().toISOString() } },
          }),
        );
      } catch (error) {
        throw new CursorStoreError(`saving the catch-up cursor failed: ${nameOf(error)}`, { cause: error });
      }
    },
  };
}
