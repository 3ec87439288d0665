import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * Holds the documents behind DocumentReference resources (letters, discharge summaries, care plans), under
 * `documents/` (never deleted by the service, a deleted DocumentReference's included), and uploads waiting to be
 * checked under `uploads/` (shared/documents/document-bucket.ts), and bulk exports' NDJSON files under `exports/`,
 * deleted after the ICB's export retention.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(
    scope: Construct,
    id: string,
    props: {
      encryptionKey: kms.IKey;
      accessLogsBucket: s3.IBucket;
      /** Days an overwritten or deleted version of a document stays recoverable. */
      noncurrentRetentionDays: number;
      /** Days a bulk export's files are kept (`export.fileRetentionDays`). */
      exportFileRetentionDays: number;
    },
  ) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One data key per bucket rather than per object: far fewer KMS calls, same key control.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        {
          // Uploads nobody claimed, and those claimed (copied to documents/) but not tidied away.
          id: 'unclaimed-uploads',
          prefix: 'uploads/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'document-versions',
          prefix: 'documents/',
          noncurrentVersionExpiration: Duration.days(props.noncurrentRetentionDays),
          expiredObjectDeleteMarker: true,
        },
        {
          // Export files are copies of the record made for analysts to download: gone after the retention, and
          // in a versioned bucket the deleted version goes a day later, not after the documents' retention.
          id: 'export-files',
          prefix: 'exports/',
          expiration: Duration.days(props.exportFileRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Clinical documents outlive any one stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
