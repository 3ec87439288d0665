import { ServiceUnavailableError } from '../fhir/operation-outcome.ts';
import { logger } from '../observability/powertools.ts';
import { forgetUploadIntent } from './binary-store.ts';
import { copyObject, deleteObject, documentKey, type ObjectVersion, putObject } from './document-bucket.ts';

/** A document's bytes to put in place before the write that records them. */
export type StagedDocument =
  /** Checked inline bytes, to store. */
  | { kind: 'inline'; binaryId: string; bytes: Uint8Array; contentType: string }
  /** A checked upload, to copy (exactly the version checked) out of `uploads/`. */
  | { kind: 'upload'; binaryId: string; upload: ObjectVersion };

/**
 * Puts a write's documents in S3, then runs its transaction; if the transaction fails the documents are
 * deleted again, so a refused write leaves nothing behind. Should the function die between the two, an object
 * is left under `documents/` that no Binary names: it is logged when a delete fails, and harmless (random key,
 * encrypted, never served). Claimed uploads are tidied afterwards; the lifecycle rule catches any that are not.
 */
export async function withStagedDocuments(
  staged: StagedDocument[],
  commit: () => Promise<void>,
): Promise<void> {
  if (!staged.length) return commit();
  const results = await Promise.allSettled(staged.map(store));
  const stored = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (stored.length < staged.length) {
    await discard(stored);
    const reason = results.find((r) => r.status === 'rejected')?.reason as Error | undefined;
    logger.error('A document could not be stored', { error: reason?.name });
    throw new ServiceUnavailableError('The document could not be stored: retry shortly');
  }
  try {
    await commit();
  } catch (e) {
    await discard(stored);
    throw e;
  }
  await Promise.allSettled(
    staged.flatMap((s) =>
      s.kind === 'upload' ? [deleteObject(s.upload), forgetUploadIntent(s.binaryId)] : [],
    ),
  );
}

function store(document: StagedDocument): Promise<ObjectVersion> {
  const key = documentKey(document.binaryId);
  return document.kind === 'inline'
    ? putObject(key, document.bytes, document.contentType)
    : copyObject(document.upload, key);
}

async function discard(objects: ObjectVersion[]): Promise<void> {
  await Promise.all(
    objects.map((o) =>
      deleteObject(o).catch(() => logger.warn('Orphaned document object left in the bucket', { key: o.key })),
    ),
  );
}
