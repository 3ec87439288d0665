import type { Attachment } from '@medplum/fhirtypes';
import type { Issue } from '../fhir/operation-outcome.ts';
import type { ContentDigest } from './content-digest.ts';
import { sniffDocumentKind } from './content-sniffing.ts';
import { ALLOWED_CONTENT_TYPES, documentKindOf, KIND_NAMES } from './content-types.ts';

/** FHIR's Attachment.hash: the base64 of a 20-byte SHA-1. */
const SHA1_BASE64 = /^[A-Za-z0-9+/]{27}=$/;

/**
 * What an attachment claims about a document that its bytes do not bear out: a content type outside the
 * allow-list, a size or hash that is missing or wrong, or bytes of another kind than declared (or of no
 * allowed kind at all). Empty when the document is what the attachment says.
 * @example contentProblems({ contentType: 'application/pdf', size: 4, hash }, digestBytes(bytes), 'DocumentReference.content[0].attachment')
 */
export function contentProblems(
  declared: Pick<Attachment, 'contentType' | 'size' | 'hash'>,
  actual: ContentDigest,
  path: string,
): Issue[] {
  const issues: Issue[] = [...declarationProblems(declared, path)];
  if (typeof declared.size === 'number' && declared.size !== actual.size) {
    issues.push({
      code: 'value',
      diagnostics: `The attachment's size is ${declared.size} bytes but the document is ${actual.size} bytes`,
      expression: [`${path}.size`],
    });
  }
  if (typeof declared.hash === 'string' && SHA1_BASE64.test(declared.hash) && declared.hash !== actual.sha1) {
    issues.push({
      code: 'value',
      diagnostics:
        "The attachment's hash is not the SHA-1 of the document: it was changed or damaged on the way",
      expression: [`${path}.hash`],
    });
  }
  const kind = documentKindOf(declared.contentType);
  const sniffed = sniffDocumentKind(actual.head, actual.complete);
  if (!sniffed) {
    issues.push({
      code: 'value',
      diagnostics: `The document's bytes are not of an allowed type (${allowedKinds()})`,
      expression: [`${path}.contentType`],
    });
  } else if (kind && sniffed !== kind) {
    issues.push({
      code: 'value',
      diagnostics: `The attachment is declared ${declared.contentType} but its bytes are ${KIND_NAMES[sniffed]}`,
      expression: [`${path}.contentType`],
    });
  }
  return issues;
}

/**
 * What is wrong with the claims alone, before any bytes are seen: the content type, size and hash a
 * stored document must declare (CONTRACT §6), each present and well-formed.
 */
export function declarationProblems(
  declared: Pick<Attachment, 'contentType' | 'size' | 'hash'>,
  path: string,
): Issue[] {
  const issues: Issue[] = [];
  if (!declared.contentType) {
    issues.push({
      code: 'required',
      diagnostics: 'A stored document needs a contentType',
      expression: [`${path}.contentType`],
    });
  } else if (!documentKindOf(declared.contentType)) {
    issues.push({
      code: 'value',
      diagnostics: `contentType '${declared.contentType}' is not an allowed document type (${allowedTypes()})`,
      expression: [`${path}.contentType`],
    });
  }
  if (typeof declared.size !== 'number') {
    issues.push({
      code: 'required',
      diagnostics: 'A stored document needs its size in bytes',
      expression: [`${path}.size`],
    });
  } else if (!Number.isSafeInteger(declared.size) || declared.size < 1) {
    issues.push({
      code: 'value',
      diagnostics: 'The size must be a whole number of bytes, at least 1',
      expression: [`${path}.size`],
    });
  }
  if (typeof declared.hash !== 'string') {
    issues.push({
      code: 'required',
      diagnostics: 'A stored document needs its hash (the base64 SHA-1 of its bytes)',
      expression: [`${path}.hash`],
    });
  } else if (!SHA1_BASE64.test(declared.hash)) {
    issues.push({
      code: 'value',
      diagnostics: 'The hash must be the base64 of a SHA-1 digest (20 bytes, 28 characters)',
      expression: [`${path}.hash`],
    });
  }
  return issues;
}

const allowedTypes = () => Object.keys(ALLOWED_CONTENT_TYPES).join(', ');
const allowedKinds = () => Object.values(KIND_NAMES).join(', ');
