import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed keys that encrypt data at rest: one for the record (table, documents, queues, events)
 * and one for logs, so log readers never need a grant on the record's key.
 */
export class EncryptionKeys extends Construct {
  /** Encrypts the table, the documents bucket, the event bus and its archive, and the dead-letter queues. */
  readonly data: kms.Key;
  /** Encrypts the CloudWatch log groups. */
  readonly logs: kms.Key;

  constructor(scope: Construct, id: string, props: { aliasPrefix: string }) {
    super(scope, id);
    const { region, account, partition } = Stack.of(this);

    this.data = new kms.Key(this, 'Data', {
      alias: `${props.aliasPrefix}/data`,
      description: 'Shared care record: data at rest (table, documents, events, queues)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.logs = new kms.Key(this, 'Logs', {
      alias: `${props.aliasPrefix}/logs`,
      description: 'Shared care record: CloudWatch log groups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs uses the key on the log groups' behalf; the condition keeps it to this account's groups.
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:*` },
        },
      }),
    );
  }
}
