import type { APIGatewayProxyEvent } from 'aws-lambda';
import { MAX_DOCUMENT_BODY_BYTES } from '../documents/document-limits.ts';
import { assertJsonDepth, assertJsonShape } from '../fhir/json-bounds.ts';
import {
  BadRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../fhir/operation-outcome.ts';
import { resourceType } from '../service/resource-types.ts';
import { requestText } from './request-text.ts';

/** The largest request body the API takes (CONTRACT §3). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
const JSON_TYPES = ['application/fhir+json', 'application/json'];

/**
 * The request's JSON body as an object, or a 4xx saying why not: no body, a content type other than FHIR JSON,
 * a body over 5 MB (5.5 MB for a DocumentReference), bytes that are not UTF-8, malformed JSON, JSON nesting too
 * deep, JSON that is not an object or breaks the FHIR JSON rules checked before any work (json-bounds.ts); a
 * body that will not be `stored` ($validate) may hold strings too long to store, for the validator to judge. Expects
 * normalised (lower-case) headers.
 */
export function fhirRequestBody(
  event: APIGatewayProxyEvent,
  options: { stored: boolean } = { stored: true },
): Record<string, unknown> {
  const contentType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.includes(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be application/fhir+json (or application/json), not '${contentType || 'none'}'`,
    );
  }
  if (!event.body) throw new BadRequestError('The request has no body');
  // A DocumentReference may carry an inline document, whose base64 needs more room (document-limits.ts).
  const holdsDocuments = resourceType(event.pathParameters?.type ?? '')?.holdsDocuments;
  const limit = holdsDocuments ? MAX_DOCUMENT_BODY_BYTES : MAX_BODY_BYTES;
  const raw = requestText(event);
  if (Buffer.byteLength(raw, 'utf8') > limit) {
    throw new PayloadTooLargeError(`The body is larger than ${limit} bytes`);
  }
  assertJsonDepth(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new BadRequestError(`The body is not valid JSON: ${(e as Error).message}`, 'structure');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError('The body must be a JSON object (a FHIR resource)', 'structure');
  }
  assertJsonShape(parsed, { stringCeiling: options.stored });
  return parsed as Record<string, unknown>;
}
