import { createHash } from 'node:crypto';
import { SNIFF_BYTES } from './document-limits.ts';

/** What the server found a document to be: its size, its SHA-1 (base64, as FHIR's Attachment.hash) and its start. */
export interface ContentDigest {
  size: number;
  sha1: string;
  /** The first bytes, for sniffing the kind of document. */
  head: Uint8Array;
  /** True when `head` is the whole document. */
  complete: boolean;
}

/** The digest of a document held in memory (an inline attachment). */
export function digestBytes(bytes: Uint8Array): ContentDigest {
  return {
    size: bytes.length,
    sha1: createHash('sha1').update(bytes).digest('base64'),
    head: bytes.subarray(0, SNIFF_BYTES),
    complete: bytes.length <= SNIFF_BYTES,
  };
}

/**
 * The digest of a document read as a stream (an uploaded object), chunk by chunk: memory stays at one chunk
 * and the sniffing sample however large the document is. Stops early, with `size` past `maxBytes`, when the
 * stream turns out longer than allowed.
 */
export async function digestStream(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<ContentDigest> {
  const hash = createHash('sha1');
  const head = new Uint8Array(SNIFF_BYTES);
  let size = 0;
  for await (const chunk of chunks) {
    if (size < SNIFF_BYTES) head.set(chunk.subarray(0, SNIFF_BYTES - size), size);
    size += chunk.length;
    if (size > maxBytes) break;
    hash.update(chunk);
  }
  return {
    size,
    sha1: hash.digest('base64'),
    head: head.subarray(0, Math.min(size, SNIFF_BYTES)),
    complete: size <= SNIFF_BYTES,
  };
}
