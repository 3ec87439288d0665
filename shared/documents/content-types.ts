/** The kinds of document the record keeps (CONTRACT §6): PDF, plain text, PNG, JPEG and HL7 CDA XML. */
export type DocumentKind = 'pdf' | 'text' | 'png' | 'jpeg' | 'cda';

/**
 * The media types a document may be declared as, and the kind each names. Generic XML types are taken only
 * for CDA documents: the bytes must still be a `ClinicalDocument`.
 */
export const ALLOWED_CONTENT_TYPES: Readonly<Record<string, DocumentKind>> = {
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'application/cda+xml': 'cda',
  'application/hl7-v3+xml': 'cda',
  'application/xml': 'cda',
  'text/xml': 'cda',
};

/** What people call each kind, for OperationOutcome diagnostics. */
export const KIND_NAMES: Readonly<Record<DocumentKind, string>> = {
  pdf: 'a PDF',
  text: 'plain text',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  cda: 'an HL7 CDA document',
};

/**
 * The kind of document a declared content type names, or undefined when it is not allowed. Parameters
 * (`; charset=utf-8`) and case are ignored.
 * @example documentKindOf('text/plain; charset=utf-8') // 'text'
 */
export function documentKindOf(contentType: string | undefined): DocumentKind | undefined {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return Object.hasOwn(ALLOWED_CONTENT_TYPES, essence) ? ALLOWED_CONTENT_TYPES[essence] : undefined;
}
