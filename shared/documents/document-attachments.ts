import type { Attachment, DocumentReference } from '@medplum/fhirtypes';
import {
  BadRequestError,
  type Issue,
  PayloadTooLargeError,
  UnprocessableEntityError,
} from '../fhir/operation-outcome.ts';
import { MAX_INLINE_DOCUMENT_BYTES } from './document-limits.ts';

/** Where one attachment's document is (CONTRACT §6). */
export type AttachmentSource =
  /** In the body (`data`): the server checks it and stores it in S3. */
  | { kind: 'inline'; index: number; path: string; attachment: Attachment; bytes: Buffer }
  /** A Binary of this server (`attachment.url`): stored already, or uploaded by presigned URL. */
  | { kind: 'binary'; index: number; path: string; attachment: Attachment; binaryId: string }
  /** In the contributor's own system (`https` url), as the National Record Locator keeps pointers. */
  | { kind: 'pointer'; index: number; path: string; attachment: Attachment };

const BINARY_ID = /^Binary\/([A-Za-z0-9\-.]{1,64})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The address a stored document is read at: `{fhirBase}/Binary/{id}`. */
export const binaryUrl = (fhirBase: string, binaryId: string) => `${fhirBase}/Binary/${binaryId}`;

/** The id of the Binary an attachment url names (`Binary/{id}` or `{fhirBase}/Binary/{id}`), if it names one. */
export function binaryIdOf(url: string, fhirBase: string): string | undefined {
  const local = url.startsWith(`${fhirBase}/`) ? url.slice(fhirBase.length + 1) : url;
  return BINARY_ID.exec(local)?.[1];
}

/**
 * Sorts each of a DocumentReference's attachments into inline, Binary or pointer, refusing what is none of
 * them: both `data` and `url`, neither, inline data over the inline limit (413, use a presigned upload), a url
 * that is not `https`, or a pointer without the `type` and `category` a record locator needs to find it.
 */
export function attachmentSources(document: DocumentReference, fhirBase: string): AttachmentSource[] {
  const issues: Issue[] = [];
  const sources: AttachmentSource[] = [];
  for (const [index, { attachment }] of (document.content ?? []).entries()) {
    const path = `DocumentReference.content[${index}].attachment`;
    const { data, url } = attachment ?? {};
    if (data !== undefined && url !== undefined) {
      throw new BadRequestError(
        'An attachment carries its document either inline (data) or by url, not both',
        'invalid',
        [path],
      );
    }
    if (data !== undefined) {
      sources.push({ kind: 'inline', index, path, attachment, bytes: inlineBytes(data, path) });
      continue;
    }
    const binaryId = url === undefined ? undefined : binaryIdOf(url, fhirBase);
    if (binaryId) sources.push({ kind: 'binary', index, path, attachment, binaryId });
    else if (url === undefined) {
      issues.push({
        code: 'required',
        diagnostics: 'An attachment needs its document: data, or a url',
        expression: [path],
      });
    } else if (!isHttps(url)) {
      issues.push({
        code: 'value',
        diagnostics:
          "attachment.url must be an https address in the contributor's system, or a Binary of this server",
        expression: [`${path}.url`],
      });
    } else sources.push({ kind: 'pointer', index, path, attachment });
  }
  if (sources.some((s) => s.kind === 'pointer')) issues.push(...pointerProblems(document));
  const binaries = sources.flatMap((s) => (s.kind === 'binary' ? [s.binaryId] : []));
  if (new Set(binaries).size < binaries.length) {
    issues.push({ code: 'invalid', diagnostics: 'Each attachment needs its own Binary: one is named twice' });
  }
  if (issues.length) throw new UnprocessableEntityError(issues[0]?.diagnostics ?? '', issues);
  return sources;
}

function inlineBytes(data: string, path: string): Buffer {
  const compact = data.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new BadRequestError('attachment.data must be base64', 'value', [`${path}.data`]);
  }
  // base64 is 4 characters for every 3 bytes: refuse before decoding anything too large.
  if (
    (compact.length / 4) * 3 - (compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0) >
    MAX_INLINE_DOCUMENT_BYTES
  ) {
    throw new PayloadTooLargeError(
      `An inline document may be at most ${MAX_INLINE_DOCUMENT_BYTES} bytes: upload larger ones with POST /Binary/$upload-url`,
    );
  }
  return Buffer.from(compact, 'base64');
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

function pointerProblems(document: DocumentReference): Issue[] {
  const issues: Issue[] = [];
  if (!document.type?.coding?.length && !document.type?.text) {
    issues.push({
      code: 'required',
      diagnostics: 'A document pointer needs a type',
      expression: ['DocumentReference.type'],
    });
  }
  if (!document.category?.length) {
    issues.push({
      code: 'required',
      diagnostics: 'A document pointer needs a category',
      expression: ['DocumentReference.category'],
    });
  }
  return issues;
}
