import { GoneError, NotFoundError } from '../fhir/operation-outcome.ts';
import { assertResourceId } from '../fhir/resource-id.ts';
import type { RequestContext } from '../http/request-context.ts';
import { auditedRecordAccess } from '../interactions/audited-access.ts';
import { hiddenFromCaller } from '../interactions/hidden-means-absent.ts';
import { currentKey, PATIENT_PREFIX } from '../service/table-design.ts';
import { readBinaryPointer } from './binary-store.ts';
import { presignDownload } from './document-bucket.ts';

/**
 * `GET /Binary/{id}` (CONTRACT §6): a presigned GET for a stored document, under exactly the rules for reading
 * its DocumentReference (relationship, objection, labels, break-glass) and audited as that read is, before the
 * URL is given out. A Binary whose DocumentReference the caller may not see is 404; a deleted one is 410, its
 * bytes kept for the retention period but no longer served.
 */
export async function binaryDownloadUrl(binaryId: string, ctx: RequestContext): Promise<string> {
  assertResourceId(binaryId);
  const pointer = await readBinaryPointer(binaryId);
  if (!pointer?.partition.startsWith(PATIENT_PREFIX))
    throw new NotFoundError(`Binary/${binaryId} is not known`);
  const patient = pointer.partition.slice(PATIENT_PREFIX.length);
  const documentKey = {
    PK: pointer.partition,
    SK: currentKey('DocumentReference', pointer.documentReference),
  };
  return auditedRecordAccess(
    ctx,
    patient,
    {
      interaction: 'read',
      resourceType: 'DocumentReference',
      permission: 'r',
      resourceKeys: [documentKey],
      // A Binary whose document is hidden from the caller is absent, as the document is.
      absent: (facts, [document]) =>
        !document || hiddenFromCaller(ctx, facts, document)
          ? new NotFoundError(`Binary/${binaryId} is not known`)
          : undefined,
    },
    async ({ resources: [document] }) => {
      if (!document) throw new NotFoundError(`Binary/${binaryId} is not known`);
      if (document.deleted) {
        throw new GoneError(
          `Binary/${binaryId} belongs to DocumentReference/${pointer.documentReference}, which has been deleted`,
        );
      }
      return {
        value: await presignDownload(pointer.objectKey, pointer.contentType),
        references: [
          `Binary/${binaryId}`,
          `DocumentReference/${pointer.documentReference}/_history/${document.versionId}`,
        ],
      };
    },
  );
}
