import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** An encrypted SQS queue that keeps what could not be delivered, for two weeks, for someone to look at. */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: { encryptionKey: kms.IKey }) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      // SQS's longest retention: failed deliveries should wait for a person, not expire over a weekend.
      retentionPeriod: Duration.days(14),
    });
  }
}
