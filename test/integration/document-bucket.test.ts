import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketName, s3Sdk } from '#shared/aws/s3';
import { digestBytes, digestStream } from '#shared/documents/content-digest';
import {
  deleteObject,
  documentKey,
  putObject,
  readObject,
  uploadKey,
} from '#shared/documents/document-bucket';
import { MAX_UPLOAD_BYTES } from '#shared/documents/document-limits';
import { withStagedDocuments } from '#shared/documents/staged-documents';
import { minimalPdf } from '../support/documents.ts';
import { sandbox } from '../support/sandbox-client.ts';

beforeAll(() => {
  process.env.BUCKET_NAME = (
    JSON.parse(readFileSync(join(sandbox().dir, 'sandbox.json'), 'utf8')) as { bucketName: string }
  ).bucketName;
});

const exists = (key: string) =>
  s3Sdk()
    .then(({ s3 }) => s3.send(new HeadObjectCommand({ Bucket: bucketName(), Key: key })))
    .then(
      () => true,
      () => false,
    );

describe('document bucket (sandbox S3)', () => {
  it('reads an object back as a stream whose digest is that of the bytes put', async () => {
    const pdf = minimalPdf('Streamed', 3 * 1024 * 1024);
    const key = uploadKey(crypto.randomUUID());
    await putObject(key, pdf, 'application/pdf');
    const object = await readObject(key);
    expect(object?.size).toBe(pdf.length);
    const digest = await digestStream(object?.body as AsyncIterable<Uint8Array>, MAX_UPLOAD_BYTES);
    expect({ ...digest, head: Buffer.from(digest.head) }).toEqual({
      ...digestBytes(pdf),
      head: Buffer.from(digestBytes(pdf).head),
    });
    await deleteObject({ key });
    expect(await readObject(key)).toBeUndefined();
  });

  it('puts inline documents before the transaction and takes them away when it fails', async () => {
    const binaryId = crypto.randomUUID();
    const failure = new Error('transaction cancelled');
    await expect(
      withStagedDocuments(
        [{ kind: 'inline', binaryId, bytes: minimalPdf(), contentType: 'application/pdf' }],
        async () => {
          expect(await exists(documentKey(binaryId))).toBe(true);
          throw failure;
        },
      ),
    ).rejects.toBe(failure);
    expect(await exists(documentKey(binaryId))).toBe(false);
  });

  it('copies a checked upload into documents/ and tidies the upload away once the transaction lands', async () => {
    const binaryId = crypto.randomUUID();
    const pdf = minimalPdf('Claimed');
    const upload = await putObject(uploadKey(binaryId), pdf, 'application/pdf');
    await withStagedDocuments([{ kind: 'upload', binaryId, upload }], async () => undefined);
    expect(await exists(uploadKey(binaryId))).toBe(false);
    const stored = await readObject(documentKey(binaryId));
    expect(stored?.size).toBe(pdf.length);
    stored?.body.destroy();
  });

  it('keeps an upload for a retry when the transaction claiming it fails', async () => {
    const binaryId = crypto.randomUUID();
    const upload = await putObject(uploadKey(binaryId), minimalPdf(), 'application/pdf');
    await expect(
      withStagedDocuments([{ kind: 'upload', binaryId, upload }], async () => {
        throw new Error('conditional check failed');
      }),
    ).rejects.toThrow();
    expect(await exists(uploadKey(binaryId))).toBe(true);
    expect(await exists(documentKey(binaryId))).toBe(false);
  });
});
