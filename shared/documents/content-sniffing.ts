import type { DocumentKind } from './content-types.ts';

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const CDA_NAMESPACE = 'urn:hl7-org:v3';

/**
 * The kind of document the leading bytes are, or undefined when they are none of the allowed kinds
 * (executables, archives, HTML and everything else fall here). `complete` says the bytes are the whole
 * document, so a multi-byte character cut off at the end is an error rather than the sample's edge.
 *
 * A small magic-number check rather than a sniffing library: the allow-list is five kinds, two of which
 * (plain text, and CDA as opposed to any XML) such libraries do not tell apart.
 * @example sniffDocumentKind(new TextEncoder().encode('%PDF-1.7 ...'), false) // 'pdf'
 */
export function sniffDocumentKind(head: Uint8Array, complete: boolean): DocumentKind | undefined {
  if (startsWith(head, PDF)) return 'pdf';
  if (startsWith(head, PNG)) return 'png';
  if (startsWith(head, JPEG)) return 'jpeg';
  const text = decodeText(head, complete);
  if (text === undefined) return undefined;
  return isClinicalDocument(text) ? 'cda' : 'text';
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** UTF-8 text without control characters other than tab, line feed, form feed and carriage return. */
function decodeText(bytes: Uint8Array, complete: boolean): string | undefined {
  if (bytes.length === 0) return undefined;
  for (const b of bytes) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
  } catch {
    return undefined;
  }
}

/**
 * True when the text is an XML document whose root element is HL7 v3's `ClinicalDocument` in the v3
 * namespace, past an optional XML declaration, comments and processing instructions (CDA has no DOCTYPE).
 */
function isClinicalDocument(text: string): boolean {
  const rest = withoutProlog(text);
  const root = rest && /^<(?:([A-Za-z_][\w.-]*):)?ClinicalDocument(?=[\s/>])/.exec(rest);
  const close = rest?.indexOf('>') ?? -1;
  if (!rest || !root || close < 0) return false;
  const attribute = (root[1] ? `xmlns:${root[1]}` : 'xmlns').replaceAll('.', '\\.');
  return new RegExp(`\\s${attribute}\\s*=\\s*["']${CDA_NAMESPACE}["']`).test(rest.slice(0, close));
}

/** The text from its first element on, or undefined when the prolog does not end within it. */
function withoutProlog(text: string): string | undefined {
  let rest = text.replace(/^\uFEFF/, '');
  for (;;) {
    rest = rest.trimStart();
    const closer = rest.startsWith('<?') ? '?>' : rest.startsWith('<!--') ? '-->' : undefined;
    if (!closer) return rest;
    const end = rest.indexOf(closer);
    if (end < 0) return undefined;
    rest = rest.slice(end + closer.length);
  }
}
