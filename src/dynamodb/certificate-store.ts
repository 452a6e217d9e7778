import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoRecordsOptions } from './cursor-store';
import { RecordsTableError } from './errors';
import { certificateKey, RECORDS_TABLE_PARTITION_KEY } from './keys';

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : 'Error');

/**
 * The certificate fingerprint last confirmed in Frontline's console, one item per app in the records table:
 * `{ pk: 'certificate#<appId>', fingerprintSha256, confirmedAt, idpIssuer? }` (`idpIssuer`: the app's IdP issuer
 * recorded with it; absent in items from before, i.e. not known). The scheduled reconcile reads it, and
 * `check --confirm-certificate --records-table <name>` writes it, so confirming a re-pasted certificate needs no
 * deploy. `fallback` (the function's FRONTLINE_CERT_FINGERPRINT) answers while the table has no record.
 */
export function dynamoFingerprintStore(options: DynamoRecordsOptions & { fallback?: string | undefined }): {
  get(appId: string): Promise<string | undefined>;
  getIdpIssuer(appId: string): Promise<string | undefined>;
  confirm(appId: string, fingerprint: string, now: Date, idpIssuer?: string): Promise<void>;
  readonly writable: boolean;
} {
  const key = (appId: string) => ({ [RECORDS_TABLE_PARTITION_KEY]: { S: certificateKey(appId) } });
  const item = async (appId: string) => {
    try {
      const out = await options.client.send(
        new GetItemCommand({ TableName: options.tableName, Key: key(appId), ConsistentRead: true }),
      );
      return out.Item;
    } catch (error) {
      throw new RecordsTableError(`reading the confirmed certificate of ${appId} failed: ${nameOf(error)}`, {
        cause: error,
      });
    }
  };
  return {
    writable: true,
    get: async (appId) => (await item(appId))?.fingerprintSha256?.S ?? options.fallback,
    // The environment's fallback names a certificate only: with no item, no issuer is on record.
    getIdpIssuer: async (appId) => (await item(appId))?.idpIssuer?.S,
    async confirm(appId, fingerprint, now, idpIssuer) {
      try {
        await options.client.send(
          new PutItemCommand({
            TableName: options.tableName,
            Item: {
              ...key(appId),
              fingerprintSha256: { S: fingerprint },
              confirmedAt: { S: now.toISOString() },
              ...(idpIssuer === undefined ? {} : { idpIssuer: { S: idpIssuer } }),
            },
          }),
        );
      } catch (error) {
        throw new RecordsTableError(
          `recording the confirmed certificate of ${appId} failed: ${nameOf(error)}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
