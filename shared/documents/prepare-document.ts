import type { Attachment, DocumentReference } from '@medplum/fhirtypes';
import { mayChange } from '../access/access-policy.ts';
import { type Issue, PayloadTooLargeError, UnprocessableEntityError } from '../fhir/operation-outcome.ts';
import type { RequestContext } from '../http/request-context.ts';
import { refusedChange } from '../interactions/audited-access.ts';
import { presentForWriter } from '../interactions/hidden-means-absent.ts';
import { withServerMeta } from '../record/contributor.ts';
import { partitionOf, type ResourceWrite, readCurrent } from '../record/record-store.ts';
import {
  type BinaryPointer,
  binaryPointerItem,
  forgetUploadIntent,
  readBinaryPointer,
  readUploadIntent,
} from './binary-store.ts';
import { digestBytes, digestStream } from './content-digest.ts';
import { contentProblems, declarationProblems } from './content-verification.ts';
import { type AttachmentSource, attachmentSources, binaryUrl } from './document-attachments.ts';
import { deleteObject, documentKey, type ObjectVersion, readObject, uploadKey } from './document-bucket.ts';
import { MAX_UPLOAD_BYTES } from './document-limits.ts';
import { replacedDocuments, superseded } from './document-supersession.ts';
import type { StagedDocument } from './staged-documents.ts';

/** What storing a DocumentReference takes besides the resource itself, all made by the one request. */
export interface DocumentWrites {
  /** The DocumentReference to store: inline data replaced by its Binary's url. */
  resource: DocumentReference;
  /** The documents it replaces, now superseded: written in the same transaction. */
  related: ResourceWrite[];
  /** The pointers of its new Binaries, put in the same transaction. */
  items: Record<string, unknown>[];
  /** The bytes to put in S3 before the transaction. */
  staged: StagedDocument[];
}

/**
 * Prepares a DocumentReference for a create or update (CONTRACT §6), after the caller was allowed to write it:
 * each inline document and each claimed upload is checked (size, SHA-1, type by its leading bytes) and given a
 * Binary; a pointer needs `type` and `category`; each document it `replaces` is superseded, which only that
 * document's contributor may do (403, audited). A refused upload is deleted, so nothing of it remains.
 */
export async function prepareDocument(
  document: DocumentReference,
  patient: string,
  ctx: RequestContext,
): Promise<DocumentWrites> {
  const id = document.id as string;
  const sources = attachmentSources(document, ctx.fhirBase);
  const related = await supersessions(document, id, patient, ctx);
  const prepared: PreparedAttachment[] = [];
  for (const source of sources) prepared.push(await prepareAttachment(source, id, patient, ctx));
  const content = (document.content ?? []).map((c, i) => ({
    ...c,
    attachment: prepared[i]?.attachment ?? c.attachment,
  }));
  return {
    resource: { ...document, content },
    related,
    items: prepared.flatMap((p) => (p.pointer ? [binaryPointerItem(p.pointer)] : [])),
    staged: prepared.flatMap((p) => (p.staged ? [p.staged] : [])),
  };
}

interface PreparedAttachment {
  attachment: Attachment;
  pointer?: BinaryPointer;
  staged?: StagedDocument;
}

async function prepareAttachment(
  source: AttachmentSource,
  documentReference: string,
  patient: string,
  ctx: RequestContext,
): Promise<PreparedAttachment> {
  if (source.kind === 'pointer') return { attachment: source.attachment };
  if (source.kind === 'binary') return claimBinary(source, documentReference, patient, ctx);
  refuseIf(contentProblems(source.attachment, digestBytes(source.bytes), source.path));
  const binaryId = crypto.randomUUID();
  const { data: _data, ...attachment } = source.attachment;
  return {
    attachment: { ...attachment, url: binaryUrl(ctx.fhirBase, binaryId) },
    pointer: pointerOf(binaryId, attachment, documentReference, patient, ctx),
    staged: { kind: 'inline', binaryId, bytes: source.bytes, contentType: attachment.contentType as string },
  };
}

/**
 * A Binary named by url: either this DocumentReference's own (an update keeping its document, whose claims
 * must not change), or an upload of the caller's organisation, read in full to check it before it is claimed.
 */
async function claimBinary(
  source: Extract<AttachmentSource, { kind: 'binary' }>,
  documentReference: string,
  patient: string,
  ctx: RequestContext,
): Promise<PreparedAttachment> {
  const { binaryId, attachment, path } = source;
  const url = binaryUrl(ctx.fhirBase, binaryId);
  const held = await readBinaryPointer(binaryId);
  if (held) {
    if (held.documentReference !== documentReference) {
      throw new UnprocessableEntityError(`Binary/${binaryId} holds another DocumentReference's document`);
    }
    const changed = (['contentType', 'size', 'hash'] as const).filter(
      (k) => attachment[k] !== undefined && attachment[k] !== held[k],
    );
    if (changed.length) {
      throw new UnprocessableEntityError(
        `The attachment's ${changed.join(', ')} differ from Binary/${binaryId}'s: a changed document is a new upload`,
      );
    }
    return {
      attachment: { ...attachment, contentType: held.contentType, size: held.size, hash: held.hash, url },
    };
  }
  const intent = await readUploadIntent(binaryId);
  if (!intent || intent.organisation !== ctx.caller.odsCode) {
    throw new UnprocessableEntityError(
      `Binary/${binaryId} is not an upload of this organisation waiting for its DocumentReference: ask POST /Binary/$upload-url for one`,
    );
  }
  refuseIf(declarationProblems(attachment, path));
  const object = await readObject(uploadKey(binaryId));
  if (!object) throw new UnprocessableEntityError(`Nothing has been uploaded to Binary/${binaryId} yet`);
  if (object.size > MAX_UPLOAD_BYTES) {
    object.body.destroy();
    await refuseUpload(binaryId, object);
    throw new PayloadTooLargeError(`A document may be at most ${MAX_UPLOAD_BYTES} bytes`);
  }
  const problems =
    object.size === attachment.size
      ? contentProblems(attachment, await digestStream(object.body, MAX_UPLOAD_BYTES), path)
      : [sizeMismatch(attachment.size as number, object.size, path)];
  if (object.size !== attachment.size) object.body.destroy();
  if (problems.length) {
    await refuseUpload(binaryId, object);
    refuseIf(problems);
  }
  return {
    attachment: { ...attachment, url },
    pointer: pointerOf(binaryId, attachment, documentReference, patient, ctx),
    staged: { kind: 'upload', binaryId, upload: object },
  };
}

/** The documents this one replaces, as superseded versions conditional on the versions read. */
async function supersessions(
  document: DocumentReference,
  id: string,
  patient: string,
  ctx: RequestContext,
): Promise<ResourceWrite[]> {
  const writes: ResourceWrite[] = [];
  for (const target of replacedDocuments(document, id)) {
    const older = await readCurrent(
      'DocumentReference',
      target,
      partitionOf('DocumentReference', target, patient),
    );
    // Missing, deleted and hidden from the caller answer alike, so replacing tells nothing of what is hidden.
    if (!older || !(await presentForWriter(ctx, older, patient))) {
      throw new UnprocessableEntityError(
        `DocumentReference/${target}, which this document replaces, is not in this patient's record`,
      );
    }
    const refusal = mayChange(ctx.caller, 'DocumentReference', 'u', older.contributor);
    if (refusal) throw await refusedChange(ctx, patient, 'update', refusal);
    const { status } = older.resource as DocumentReference;
    if (status === 'superseded') continue;
    if (status !== 'current') {
      throw new UnprocessableEntityError(
        `DocumentReference/${target} is ${status}: only a current document can be replaced`,
      );
    }
    const versionId = older.versionId + 1;
    const lastUpdated = new Date().toISOString();
    const resource = withServerMeta(superseded(older.resource as DocumentReference), {
      versionId,
      lastUpdated,
      contributor: older.contributor,
    });
    writes.push({ previous: older, next: { ...older, resource, versionId, lastUpdated } });
  }
  return writes;
}

function pointerOf(
  binaryId: string,
  attachment: Attachment,
  documentReference: string,
  patient: string,
  ctx: RequestContext,
): BinaryPointer {
  return {
    binaryId,
    documentReference,
    partition: partitionOf('DocumentReference', documentReference, patient),
    objectKey: documentKey(binaryId),
    contentType: attachment.contentType as string,
    size: attachment.size as number,
    hash: attachment.hash as string,
    contributor: ctx.caller.odsCode,
  };
}

/** Deletes a refused upload, and forgets it, so nothing of it remains. */
async function refuseUpload(binaryId: string, object: ObjectVersion): Promise<void> {
  await Promise.all([deleteObject(object), forgetUploadIntent(binaryId)]);
}

function sizeMismatch(declared: number, actual: number, path: string): Issue {
  return {
    code: 'value',
    diagnostics: `The attachment's size is ${declared} bytes but ${actual} bytes were uploaded`,
    expression: [`${path}.size`],
  };
}

function refuseIf(issues: Issue[]): void {
  if (issues.length) throw new UnprocessableEntityError(issues[0]?.diagnostics ?? '', issues);
}
