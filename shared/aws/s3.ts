import type { S3Client } from '@aws-sdk/client-s3';

let loaded:
  | Promise<
      typeof import('@aws-sdk/client-s3') & { s3: S3Client } & typeof import('@aws-sdk/s3-request-presigner')
    >
  | undefined;

/**
 * The S3 SDK and the documents bucket's client, loaded on first use: most requests to the functions that can
 * store documents never touch S3, so they do not pay its import at a cold start. Path-style when an endpoint is
 * set (the sandbox's s3rver has no virtual-hosted buckets); checksums only where S3 requires them, so presigned
 * URLs carry no checksum of an empty body.
 */
export function s3Sdk() {
  loaded ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]).then(
    ([sdk, presigner]) => ({
      ...sdk,
      ...presigner,
      s3: new sdk.S3Client({
        forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    }),
  );
  return loaded;
}

/** The documents bucket's name, set by the stack (and by the sandbox). */
export function bucketName(): string {
  const name = process.env.BUCKET_NAME;
  if (!name) throw new Error('BUCKET_NAME is not set');
  return name;
}
