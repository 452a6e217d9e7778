import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

/**
 * The records table in memory behind a mocked DynamoDB client, reset before each test, so what one call writes the
 * next one reads (GetItem, PutItem, DeleteItem by the partition key `pk`). `ddb` overrides a command for a test.
 */
export function useMockRecordsTable(): {
  ddb: AwsClientStub<DynamoDBClient>;
  items: () => Map<string, Record<string, AttributeValue>>;
} {
  const ddb = mockClient(DynamoDBClient);
  let items = new Map<string, Record<string, AttributeValue>>();
  beforeEach(() => {
    ddb.reset();
    items = new Map();
    ddb.on(PutItemCommand).callsFake((input: { Item: Record<string, AttributeValue> }) => {
      items.set(input.Item.pk!.S!, input.Item);
      return {};
    });
    ddb.on(GetItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => {
      const item = items.get(input.Key.pk!.S!);
      return item ? { Item: item } : {};
    });
    ddb.on(DeleteItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => {
      items.delete(input.Key.pk!.S!);
      return {};
    });
  });
  return { ddb, items: () => items };
}
