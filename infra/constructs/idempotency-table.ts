import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The table Powertools idempotency keeps retried POSTs in (`shared/http/idempotent-post.ts`): partition key
 * `id`, expired records removed by TTL on `expiration`. Records hold first responses, so patient data: it is
 * encrypted with the data key and recoverable like the record table.
 */
export class IdempotencyTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { encryptionKey: kms.IKey }) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: 'expiration',
      // Only a 24-hour memory of retries: losing it with the stack loses nothing of the record.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
