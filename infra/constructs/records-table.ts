import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { RECORD_KINDS, RECORDS_TABLE_PARTITION_KEY } from '../../src/dynamodb/keys';

/**
 * The durable records the product keeps on AWS, one table shared by every feature: the System Log catch-up cursor,
 * the identities of onboarded users (so a deleted Okta user's Frontline user can still be deactivated) and the
 * confirmed certificate baseline. Keys are prefixed per kind (src/dynamodb/keys.ts). On-demand (a few writes a
 * minute), encrypted, point-in-time recovery, and retained when the stack is deleted: losing the identities would
 * leave leavers signed in to Frontline.
 */
export class RecordsTable extends Construct {
  public readonly table: TableV2;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: RECORDS_TABLE_PARTITION_KEY, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
  }

  /**
   * Grants `actions` on the items whose partition key is one of `keys` only (IAM's `dynamodb:LeadingKeys`): each
   * function reaches its own records, not the identities or certificates beside them.
   */
  public grantItems(grantee: IGrantable, actions: readonly string[], keys: readonly string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...keys] } },
      }),
    );
  }

  /**
   * GetItem and PutItem on the identity items only (the worker records and reads them; the reconcile records the
   * members it finds with none on record): never the certificate baseline or the catch-up cursor.
   */
  public grantIdentities(grantee: IGrantable): void {
    this.grantItemsOfKind(grantee, ['dynamodb:GetItem', 'dynamodb:PutItem'], RECORD_KINDS.identity);
  }

  /**
   * GetItem, PutItem and DeleteItem on the recorded `userType` values only (the worker records one before it
   * overwrites it, reads it back and drops it when it puts it back).
   */
  public grantUserTypes(grantee: IGrantable): void {
    this.grantItemsOfKind(
      grantee,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      RECORD_KINDS.userType,
    );
  }

  /** As `grantItems`, for every item whose partition key starts with `prefix` (one kind of record). */
  public grantItemsOfKind(grantee: IGrantable, actions: readonly string[], prefix: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
      }),
    );
  }
}
