import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BadRequestError } from '../fhir/operation-outcome.ts';
import { assertWellFormed } from './request-text.ts';

/**
 * Headers a request may carry once. Two of them make the request ambiguous (which token, which version, which
 * organisation?), so it is refused rather than guessed at.
 */
const SINGLETON_HEADERS = new Set([
  'authorization',
  'content-type',
  'if-match',
  'if-none-exist',
  'x-request-id',
  'x-correlation-id',
]);
const NHSD_PREFIX = 'nhsd-';

/**
 * Refuses, before anything else reads the request, what would otherwise be guessed at: a singleton header
 * (`Authorization`, `Content-Type`, `If-Match`, `X-Request-ID`, any `NHSD-*`) sent twice, and path parameters or
 * query names and values that were not UTF-8 once percent-decoded. Runs before header normalisation, which keeps
 * only one of two headers whose names differ in case.
 */
export function strictRequest(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: ({ event }) => {
      assertSingletonHeaders(event);
      for (const value of Object.values(event.pathParameters ?? {}))
        assertWellFormed(value ?? '', 'The path');
      for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
        assertWellFormed(name, 'A query parameter name');
        for (const value of values ?? []) assertWellFormed(value, `The query parameter ${name}`);
      }
    },
  };
}

function assertSingletonHeaders(event: APIGatewayProxyEvent): void {
  const repeated = repeatedSingletonHeader(event);
  if (repeated) throw new BadRequestError(`The ${repeated} header may be sent only once`, 'structure');
}

/** The first singleton header the request carries more than once (names compared without case), if any. */
export function repeatedSingletonHeader(event: APIGatewayProxyEvent): string | undefined {
  const counts = new Map<string, number>();
  const all = event.multiValueHeaders ?? {};
  for (const [name, values] of Object.entries(all)) {
    const key = name.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + (values?.length ?? 0));
  }
  for (const [name, count] of counts) {
    if (count > 1 && (SINGLETON_HEADERS.has(name) || name.startsWith(NHSD_PREFIX))) return name;
  }
  return undefined;
}
