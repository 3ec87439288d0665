import { bucketName, s3Sdk } from '../aws/s3.ts';
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from './document-limits.ts';

/**
 * Where a document's bytes live. Keys are the Binary's random id and nothing else, so a key reveals nothing
 * about the patient. Uploads land under `uploads/`, which a lifecycle rule empties after a day; a document
 * is copied to `documents/` only once it has been checked, and is never deleted by the service.
 */
export const uploadKey = (binaryId: string) => `uploads/${binaryId}`;
export const documentKey = (binaryId: string) => `documents/${binaryId}`;

/** One version of an object, as S3 names it (`versionId` is absent where the store has no versioning). */
export interface ObjectVersion {
  key: string;
  versionId?: string;
  etag?: string;
}

/** Stores a document's bytes. */
export async function putObject(key: string, bytes: Uint8Array, contentType: string): Promise<ObjectVersion> {
  const { s3, PutObjectCommand } = await s3Sdk();
  const { VersionId, ETag } = await s3.send(
    new PutObjectCommand({ Bucket: bucketName(), Key: key, Body: bytes, ContentType: contentType }),
  );
  return { key, versionId: VersionId, etag: ETag };
}

/** An object's bytes as a stream, with its length and version; undefined when there is no such object. */
export async function readObject(
  key: string,
): Promise<
  (ObjectVersion & { size: number; body: AsyncIterable<Uint8Array> & { destroy(): void } }) | undefined
> {
  const { s3, GetObjectCommand, NoSuchKey } = await s3Sdk();
  try {
    const { Body, ContentLength, VersionId, ETag } = await s3.send(
      new GetObjectCommand({ Bucket: bucketName(), Key: key }),
    );
    return {
      key,
      versionId: VersionId,
      etag: ETag,
      size: ContentLength ?? 0,
      body: Body as unknown as AsyncIterable<Uint8Array> & { destroy(): void },
    };
  } catch (e) {
    if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return undefined;
    throw e;
  }
}

/** Copies exactly the version read (by version id, and by ETag where the store has no versions). */
export async function copyObject(from: ObjectVersion, to: string): Promise<ObjectVersion> {
  const { s3, CopyObjectCommand } = await s3Sdk();
  const source = `${bucketName()}/${from.key}${from.versionId ? `?versionId=${from.versionId}` : ''}`;
  const { VersionId, CopyObjectResult } = await s3.send(
    new CopyObjectCommand({
      Bucket: bucketName(),
      Key: to,
      CopySource: source,
      ...(from.etag ? { CopySourceIfMatch: from.etag } : {}),
    }),
  );
  return { key: to, versionId: VersionId, etag: CopyObjectResult?.ETag };
}

/** Deletes an object; given a version, that version for good (no delete marker left in a versioned bucket). */
export async function deleteObject(object: ObjectVersion): Promise<void> {
  const { s3, DeleteObjectCommand } = await s3Sdk();
  await s3.send(
    new DeleteObjectCommand({ Bucket: bucketName(), Key: object.key, VersionId: object.versionId }),
  );
}

/**
 * A presigned PUT for an upload, valid for 5 minutes, that signs the content type, the length and the SHA-1
 * checksum header: S3 refuses a body of another length, and on AWS one whose SHA-1 differs. The headers the
 * client must send are returned with it (the length it sets itself).
 */
export async function presignUpload(
  key: string,
  upload: { contentType: string; size: number; hash: string },
): Promise<{ url: string; headers: Record<string, string> }> {
  const { s3, PutObjectCommand, getSignedUrl } = await s3Sdk();
  const command = new PutObjectCommand({
    Bucket: bucketName(),
    Key: key,
    ContentType: upload.contentType,
    ContentLength: upload.size,
    ChecksumSHA1: upload.hash,
  });
  const url = await getSignedUrl(s3, command, {
    expiresIn: UPLOAD_URL_SECONDS,
    signableHeaders: new Set(['content-type', 'content-length']),
    // S3 reads checksums from headers only, never from the query string.
    unhoistableHeaders: new Set(['x-amz-checksum-sha1']),
  });
  return { url, headers: { 'Content-Type': upload.contentType, 'x-amz-checksum-sha1': upload.hash } };
}

/**
 * A presigned GET for a document, valid for a minute, answering with the document's content type and telling
 * caches along the way to keep no copy of it.
 */
export async function presignDownload(key: string, contentType: string): Promise<string> {
  const { s3, GetObjectCommand, getSignedUrl } = await s3Sdk();
  const command = new GetObjectCommand({
    Bucket: bucketName(),
    Key: key,
    ResponseContentType: contentType,
    ResponseCacheControl: 'private, no-store',
  });
  return getSignedUrl(s3, command, { expiresIn: DOWNLOAD_URL_SECONDS });
}
