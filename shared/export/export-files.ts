import { bucketName, s3Sdk } from '../aws/s3.ts';
import { exportFilesPrefix } from '../service/table-design.ts';

/** What one scan-segment call wrote: its NDJSON parts and what it counted. */
export interface ExportFragment {
  parts: { type: string; key: string; count: number }[];
  patients: number;
  optedOut: number;
}

/** How long a manifest's download URLs work: long enough to fetch a large export, short enough not to linger. */
export const DOWNLOAD_URL_SECONDS = 3600;

const partKey = (exportId: string, type: string, name: string) =>
  `${exportFilesPrefix(exportId)}${type}/${name}.ndjson`;
const fragmentKey = (exportId: string, name: string) => `${exportFilesPrefix(exportId)}_parts/${name}.json`;
const manifestKey = (exportId: string) => `${exportFilesPrefix(exportId)}manifest.json`;

/**
 * Writes one call's NDJSON, one object per type, and the fragment that lists them. `name` comes from the
 * segment and the cursor it started at, so a retried call overwrites its own objects rather than adding more.
 */
export async function writeParts(
  exportId: string,
  name: string,
  lines: Map<string, string[]>,
  counted: Pick<ExportFragment, 'patients' | 'optedOut'>,
): Promise<ExportFragment> {
  const { s3, PutObjectCommand } = await s3Sdk();
  const parts: ExportFragment['parts'] = [];
  for (const [type, typeLines] of lines) {
    const key = partKey(exportId, type, name);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucketName(),
        Key: key,
        Body: `${typeLines.join('\n')}\n`,
        ContentType: 'application/fhir+ndjson',
      }),
    );
    parts.push({ type, key, count: typeLines.length });
  }
  const fragment = { parts, ...counted };
  await s3.send(
    new PutObjectCommand({
      Bucket: bucketName(),
      Key: fragmentKey(exportId, name),
      Body: JSON.stringify(fragment),
      ContentType: 'application/json',
    }),
  );
  return fragment;
}

/** Every fragment the export's calls wrote, one page of the listing at a time. */
export async function* readFragments(exportId: string): AsyncGenerator<ExportFragment> {
  const { s3, GetObjectCommand } = await s3Sdk();
  for await (const key of listKeys(`${exportFilesPrefix(exportId)}_parts/`)) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucketName(), Key: key }));
    yield JSON.parse(await (object.Body?.transformToString() ?? '{}')) as ExportFragment;
  }
}

export async function writeManifest(exportId: string, manifest: object): Promise<void> {
  const { s3, PutObjectCommand } = await s3Sdk();
  await s3.send(
    new PutObjectCommand({
      Bucket: bucketName(),
      Key: manifestKey(exportId),
      Body: JSON.stringify(manifest),
      ContentType: 'application/json',
    }),
  );
}

export async function readManifest<T>(exportId: string): Promise<T> {
  const { s3, GetObjectCommand } = await s3Sdk();
  const object = await s3.send(new GetObjectCommand({ Bucket: bucketName(), Key: manifestKey(exportId) }));
  return JSON.parse(await (object.Body?.transformToString() ?? '{}')) as T;
}

/** A short-lived presigned GET of one file: the analyst's tool downloads it without a token. */
export async function downloadUrl(key: string): Promise<string> {
  const { s3, GetObjectCommand, getSignedUrl } = await s3Sdk();
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucketName(), Key: key }), {
    expiresIn: DOWNLOAD_URL_SECONDS,
  });
}

/** Deletes every object of an export (a cancel). */
export async function deleteExportFiles(exportId: string): Promise<void> {
  const { s3, DeleteObjectsCommand } = await s3Sdk();
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucketName(),
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    batch = [];
  };
  for await (const key of listKeys(exportFilesPrefix(exportId))) {
    batch.push(key);
    if (batch.length === 1000) await flush();
  }
  await flush();
}

async function* listKeys(prefix: string): AsyncGenerator<string> {
  const { s3, ListObjectsV2Command } = await s3Sdk();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucketName(), Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) yield object.Key;
    token = page.NextContinuationToken;
  } while (token);
}
