import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError } from '../fhir/operation-outcome.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The request body as text, decoded as strict UTF-8: a body with bytes that are not UTF-8 (a lone continuation
 * byte, an overlong sequence, a surrogate) is a 400, never text with replacement characters that would be stored.
 * The API passes every body base64-encoded (`BINARY_MEDIA_TYPES`), so the bytes reach the function unchanged.
 */
export function requestText(event: APIGatewayProxyEvent): string {
  if (!event.body) return '';
  if (!event.isBase64Encoded) {
    assertWellFormed(event.body, 'The body');
    return event.body;
  }
  try {
    return strictUtf8.decode(Buffer.from(event.body, 'base64'));
  } catch {
    throw new BadRequestError('The body is not valid UTF-8', 'structure');
  }
}

/**
 * Throws 400 when `text` (a path segment, a query value, a body that arrived as text) holds a replacement
 * character or a lone surrogate: what a decoder leaves of bytes or escapes that were not UTF-8.
 */
export function assertWellFormed(text: string, what: string): void {
  if (!text.isWellFormed() || text.includes('\uFFFD')) {
    throw new BadRequestError(`${what} is not valid UTF-8 (after percent-decoding)`, 'structure');
  }
}
