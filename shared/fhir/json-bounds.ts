import { BadRequestError, PayloadTooLargeError } from './operation-outcome.ts';

/**
 * How deep a request's JSON may nest. R4 resources nest far less (a Questionnaire three items deep is about 10
 * levels); the ceiling keeps a hostile body from exhausting the stack of anything that walks it.
 */
export const MAX_JSON_DEPTH = 100;
/**
 * The longest string a resource may hold outside an attachment's `data`: a longer one could never be stored (a
 * DynamoDB item holds 400 KB); inline document bytes go to S3 and have their own limit.
 */
export const MAX_STRING_LENGTH = 400 * 1024;

/**
 * Throws 400 when the JSON text nests deeper than `MAX_JSON_DEPTH`, before it is parsed or walked. Hand-written
 * as one linear scan because neither `JSON.parse` nor a schema library bounds depth before doing the work.
 */
export function assertJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) {
        throw new BadRequestError(`The JSON nests deeper than ${maxDepth} levels`, 'too-costly');
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/**
 * Checks the FHIR JSON rules a parsed body must meet before any interaction reads it: every `resourceType` is a
 * string and every resource's `id` a string (a number is not an id), and no string but an attachment's `data`
 * is longer than `MAX_STRING_LENGTH` (413, with what to do instead; unless `stringCeiling` is off, for a body
 * that is validated and not stored). Expects depth already bounded.
 */
export function assertJsonShape(value: unknown, options = { stringCeiling: true }, path = ''): void {
  if (typeof value === 'string') {
    if (options.stringCeiling && value.length > MAX_STRING_LENGTH && !path.endsWith('.data')) {
      throw new PayloadTooLargeError(
        `${path || 'A string'} is longer than ${MAX_STRING_LENGTH} characters: put large content in a document (a DocumentReference with an attachment)`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      assertJsonShape(item, options, `${path}[${i}]`);
    });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const object = value as Record<string, unknown>;
  if ('resourceType' in object && typeof object.resourceType !== 'string') {
    throw new BadRequestError('resourceType must be a string', 'structure', [
      `${path ? `${path}.` : ''}resourceType`,
    ]);
  }
  if (typeof object.resourceType === 'string' && 'id' in object && typeof object.id !== 'string') {
    throw new BadRequestError('A resource id must be a JSON string', 'structure', [
      `${path ? `${path}.` : ''}id`,
    ]);
  }
  for (const [key, child] of Object.entries(object))
    assertJsonShape(child, options, path ? `${path}.${key}` : key);
}
