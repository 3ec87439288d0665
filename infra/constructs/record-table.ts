import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableDesign } from '#shared/service/table-design';

/**
 * The one DynamoDB table that holds the shared record, its history, audit entries and outbox events,
 * keyed as `shared/service/table-design.ts` says. Its stream feeds the outbox publisher.
 */
export class RecordTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { encryptionKey: kms.IKey }) {
    super(scope, id);
    const string = dynamodb.AttributeType.STRING;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableDesign.partitionKey, type: string },
      sortKey: { name: tableDesign.sortKey, type: string },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      deletionProtection: true,
      // Clinical records outlive any one stack: deleting the stack must never delete the record.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Keys only: a lookup by id needs the item's partition, then reads the item itself.
    this.table.addGlobalSecondaryIndex({
      indexName: tableDesign.byIdIndex.name,
      partitionKey: { name: tableDesign.byIdIndex.partitionKey, type: string },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }
}
